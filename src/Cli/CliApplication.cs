using System.CommandLine;
using System.CommandLine.Parsing;
using Provisioning.Cli.Commands;
using Provisioning.Cli.Output;

namespace Provisioning.Cli;

/// <summary>The command tree, its parsing (a parse error is exit code 2) and the run of the chosen command.</summary>
public static class CliApplication
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "The Provisioning service's command line: send a signed test checkout, follow, list, retry and cancel jobs, send workflow callbacks. See docs/cli.md.");
        GlobalOptions.AddTo(root);
        root.Subcommands.Add(TriggerCommand.Create());
        root.Subcommands.Add(JobsCommand.Create());
        root.Subcommands.Add(CallbackCommand.Create());
        root.Subcommands.Add(StripeCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            var output = new CliOutput(parse.GetValue(GlobalOptions.Json));
            var message = string.Join("; ", parse.Errors.Select(e => e.Message));
            output.Error(CliException.Usage($"{message} (see '{CommandPath(parse)} --help')"));
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync();
    }

    /// <summary>
    /// Sets a command's action: builds its <see cref="CliContext"/>, runs it, and turns a <see cref="CliException"/> into its
    /// message and exit code, and an interruption into 130.
    /// </summary>
    public static void SetCliAction(this Command command, Func<CliContext, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = new CliOutput(parse.GetValue(GlobalOptions.Json));
            try
            {
                using var context = new CliContext(parse, output);
                return await action(context, cancellationToken);
            }
            catch (CliException failure)
            {
                output.Error(failure);
                return failure.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                output.Note("interrupted");
                return ExitCodes.Interrupted;
            }
        });

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            names.Insert(0, result.Command is RootCommand ? "provisioning" : result.Command.Name);
        }

        return string.Join(' ', names);
    }
}
