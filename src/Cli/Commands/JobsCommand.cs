using System.CommandLine;

namespace Provisioning.Cli.Commands;

/// <summary><c>jobs list|show|watch|retry|retry-all|cancel</c>.</summary>
public static class JobsCommand
{
    /// <summary>The job's id (the Stripe event id of its checkout).</summary>
    public static Argument<string> JobIdArgument() => new("id") { Description = "The job id (the Stripe event id, evt_...)" };

    public static Option<string?> OperatorKeyOption() => new("--operator-key", "-k")
    {
        Description = "An operator key [default: $PROVISIONING_OPERATOR_KEY, $Gateway__OperatorKeys__<name>, else .local/dev.env]",
        HelpName = "key",
    };

    public static Command Create() =>
        new("jobs", "List, show, follow, retry and cancel provisioning jobs")
        {
            JobsListCommand.Create(),
            JobsShowCommand.Create(),
            JobsWatchCommand.Create(),
            JobActionCommand.Create("retry", "Start a new attempt of a failed or cancelled job (operator key)"),
            JobsRetryAllCommand.Create(),
            JobActionCommand.Create("cancel", "Cancel a job that has not ended (operator key)"),
        };

    /// <summary>The path of a job under the gateway's API.</summary>
    public static string JobPath(string jobId) => $"api/jobs/{Uri.EscapeDataString(jobId)}";

    /// <summary>The job id argument, which must not be blank.</summary>
    public static string JobId(CliContext context, Argument<string> argument) =>
        context.Parse.GetValue(argument) is { } id && !string.IsNullOrWhiteSpace(id)
            ? id.Trim()
            : throw CliException.Usage("the job id must not be empty");
}
