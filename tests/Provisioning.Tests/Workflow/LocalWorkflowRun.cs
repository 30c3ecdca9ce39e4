using System.Diagnostics;
using System.Text.RegularExpressions;
using Provisioning.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Provisioning.Tests.Workflow;

/// <summary>
/// Plays <c>.github/workflows/provision-agent.yml</c>'s one job on this machine the way a GitHub-hosted runner does, as far
/// as the template needs: <c>${{ }}</c> expressions over inputs, secrets, github and step outputs; step <c>if:</c> with
/// <c>success()</c>, <c>failure()</c>, <c>always()</c>, <c>==</c> and <c>&amp;&amp;</c> (an <c>if</c> without a status
/// function means <c>success() &amp;&amp; ...</c>); <c>run:</c> steps with <c>bash --noprofile --norc -eo pipefail</c> in
/// the workspace; <c>GITHUB_OUTPUT</c>, <c>GITHUB_ENV</c> and <c>RUNNER_TEMP</c>; <c>::add-mask::</c> lines, which hide their
/// value in every later log as the runner does; repository variables (<c>vars</c>); <c>actions/checkout</c> copies the
/// repository's callback script into the workspace. Anything else in the file fails the test, so the template stays within
/// what this check understands. Background processes left behind are killed at the end, as the runner does.
/// </summary>
public sealed partial class LocalWorkflowRun
{
    public const string RunId = "424242";

    public static string FilePath { get; } = Path.Combine(Repository.Root, ".github", "workflows", "provision-agent.yml");

    /// <summary>The workflow file parsed; its root mapping.</summary>
    public static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(FilePath);
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    public required IReadOnlyDictionary<string, string> Inputs { get; init; }

    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>The repository's variables (<c>vars.NAME</c>).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>Job environment values to change (e.g. a shorter heartbeat interval).</summary>
    public IReadOnlyDictionary<string, string> JobEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Replacement <c>run:</c> scripts by step id: what a user puts in place of the placeholder.</summary>
    public IReadOnlyDictionary<string, string> ReplaceRun { get; init; } = new Dictionary<string, string>();

    public async Task<WorkflowResult> RunAsync()
    {
        var root = Load();
        var job = (YamlMappingNode)Map(root, "jobs").Children.Values.Single();
        var folder = Directory.CreateTempSubdirectory("provision-workflow-");
        var workspace = Directory.CreateDirectory(Path.Combine(folder.FullName, "workspace")).FullName;
        var runnerTemp = Directory.CreateDirectory(Path.Combine(folder.FullName, "temp")).FullName;
        var outputs = new Dictionary<string, Dictionary<string, string>>();
        var steps = new List<StepResult>();
        var exported = new Dictionary<string, string>();
        var masks = new List<string>();
        var failed = false;
        try
        {
            var jobEnvironment = Evaluate(OptionalMap(job, "env"), outputs);
            foreach (var (key, value) in JobEnvironment)
            {
                jobEnvironment[key] = value;
            }

            foreach (var step in ((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>())
            {
                var name = Scalar(step, "name") ?? Scalar(step, "id") ?? "step";
                var id = Scalar(step, "id");
                if (!Condition(Scalar(step, "if"), failed, outputs))
                {
                    steps.Add(new StepResult(name, false, null, ""));
                    continue;
                }

                if (Scalar(step, "uses") is { } uses)
                {
                    Assert.StartsWith("actions/checkout@", uses, StringComparison.Ordinal);
                    Directory.CreateDirectory(Path.Combine(workspace, "scripts"));
                    File.Copy(CallbackScript.Path, Path.Combine(workspace, "scripts", "provision-callback.sh"));
                    steps.Add(new StepResult(name, true, 0, ""));
                    continue;
                }

                Assert.Equal("bash", Scalar(step, "shell") ?? "bash");
                var script = id is not null && ReplaceRun.TryGetValue(id, out var replaced) ? replaced : Scalar(step, "run")!;
                Assert.DoesNotContain("${{", script, StringComparison.Ordinal);
                var environment = new Dictionary<string, string>(jobEnvironment);
                foreach (var (key, value) in exported)
                {
                    environment[key] = value;
                }

                foreach (var (key, value) in Evaluate(OptionalMap(step, "env"), outputs))
                {
                    environment[key] = value;
                }

                var outputFile = Path.Combine(runnerTemp, $"output-{steps.Count}");
                var envFile = Path.Combine(runnerTemp, $"env-{steps.Count}");
                File.WriteAllText(outputFile, "");
                File.WriteAllText(envFile, "");
                environment["GITHUB_OUTPUT"] = outputFile;
                environment["GITHUB_ENV"] = envFile;
                environment["GITHUB_WORKSPACE"] = workspace;
                environment["RUNNER_TEMP"] = runnerTemp;
                environment["GITHUB_RUN_ID"] = RunId;
                environment["GITHUB_RUN_ATTEMPT"] = "1";
                environment["GITHUB_SERVER_URL"] = "https://github.com";
                environment["GITHUB_REPOSITORY"] = "acme/agent-infra";
                var (exitCode, log) = await RunBashAsync(script, workspace, runnerTemp, environment);
                steps.Add(new StepResult(name, true, exitCode, Mask(log, masks)));
                failed |= exitCode != 0;
                if (id is not null)
                {
                    outputs[id] = ReadPairs(outputFile);
                }

                foreach (var (key, value) in ReadPairs(envFile))
                {
                    exported[key] = value;
                }
            }

            return new WorkflowResult(!failed, steps, File.Exists(Path.Combine(runnerTemp, "provision-stop")), masks);
        }
        finally
        {
            KillLeftovers(runnerTemp);
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The workflow's <c>run-name</c> with its expressions evaluated.</summary>
    public string RunName() => Substitute(Scalar(Load(), "run-name")!, []);

    private static async Task<(int ExitCode, string Log)> RunBashAsync(string script, string workspace, string runnerTemp, Dictionary<string, string> environment)
    {
        var file = Path.Combine(runnerTemp, $"step-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(file, script);
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workspace,
        };
        foreach (var argument in new[] { "--noprofile", "--norc", "-eo", "pipefail", file })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        start.Environment["HOME"] = Environment.GetEnvironmentVariable("HOME");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The log as the runner shows it: <c>::add-mask::</c> lines taken out (their values added to <paramref name="masks"/>), every masked value as ***.</summary>
    private static string Mask(string log, List<string> masks)
    {
        const string command = "::add-mask::";
        var shown = new List<string>();
        foreach (var line in log.Split('\n'))
        {
            if (line.StartsWith(command, StringComparison.Ordinal))
            {
                masks.Add(line[command.Length..].TrimEnd('\r'));
            }
            else
            {
                shown.Add(line);
            }
        }

        return masks.Where(m => m.Length > 0).Aggregate(string.Join('\n', shown), (text, mask) => text.Replace(mask, "***", StringComparison.Ordinal));
    }

    private static void KillLeftovers(string runnerTemp)
    {
        var pidFile = Path.Combine(runnerTemp, "heartbeats.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // Already gone: the workflow stopped it.
            }
        }
    }

    private Dictionary<string, string> Evaluate(YamlMappingNode? env, Dictionary<string, Dictionary<string, string>> outputs) =>
        env?.Children.ToDictionary(
            p => ((YamlScalarNode)p.Key).Value!,
            p => Substitute(((YamlScalarNode)p.Value).Value ?? "", outputs)) ?? [];

    private string Substitute(string text, Dictionary<string, Dictionary<string, string>> outputs) =>
        Expression().Replace(text, m => Value(m.Groups[1].Value.Trim(), outputs));

    private string Value(string expression, Dictionary<string, Dictionary<string, string>> outputs)
    {
        var parts = expression.Split('.');
        return parts switch
        {
            ["inputs", var name] => Inputs.TryGetValue(name, out var input) ? input : "",
            ["secrets", var name] => Secrets.TryGetValue(name, out var secret) ? secret : "",
            ["vars", var name] => Variables.TryGetValue(name, out var variable) ? variable : "",
            ["github", "run_id"] => RunId,
            ["github", "server_url"] => "https://github.com",
            ["github", "repository"] => "acme/agent-infra",
            ["steps", var step, "outputs", var name] => outputs.GetValueOrDefault(step)?.GetValueOrDefault(name) ?? "",
            _ => throw new Xunit.Sdk.XunitException($"the local run does not understand the expression '{expression}'"),
        };
    }

    private bool Condition(string? condition, bool failed, Dictionary<string, Dictionary<string, string>> outputs)
    {
        var text = condition ?? "success()";
        if (text.Contains("||", StringComparison.Ordinal) || text.Contains("${{", StringComparison.Ordinal))
        {
            throw new Xunit.Sdk.XunitException($"the local run does not understand the condition '{text}'");
        }

        var terms = text.Split("&&", StringSplitOptions.TrimEntries);
        if (!terms.Any(t => t is "success()" or "failure()" or "always()" or "cancelled()"))
        {
            terms = ["success()", .. terms];
        }

        return terms.All(term => term switch
        {
            "always()" => true,
            "success()" => !failed,
            "failure()" => failed,
            "cancelled()" => false,
            _ when Comparison().Match(term) is { Success: true } m =>
                (Value(m.Groups[1].Value, outputs) == m.Groups[3].Value) == (m.Groups[2].Value == "=="),
            _ => throw new Xunit.Sdk.XunitException($"the local run does not understand the condition term '{term}'"),
        });
    }

    private static Dictionary<string, string> ReadPairs(string file)
    {
        var pairs = new Dictionary<string, string>();
        foreach (var line in File.ReadAllLines(file).Where(l => l.Length > 0))
        {
            Assert.DoesNotContain("<<", line, StringComparison.Ordinal);
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            pairs[line[..equals]] = line[(equals + 1)..];
        }

        return pairs;
    }

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    public static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static YamlMappingNode? OptionalMap(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (YamlMappingNode)value : null;

    [GeneratedRegex(@"\$\{\{(.+?)\}\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"^([a-z_.]+)\s*(==|!=)\s*'([^']*)'$")]
    private static partial Regex Comparison();
}

/// <summary>A step of a local run: whether it ran, its exit code and what it printed.</summary>
public sealed record StepResult(string Name, bool Ran, int? ExitCode, string Log);

/// <summary>
/// How a local run ended: <see cref="Succeeded"/> as GitHub's job conclusion, each step, whether a heartbeat read 409, and the
/// values the steps masked.
/// </summary>
public sealed record WorkflowResult(bool Succeeded, IReadOnlyList<StepResult> Steps, bool StopMarked, IReadOnlyList<string> Masked)
{
    public StepResult Step(string namePrefix) => Steps.Single(s => s.Name.StartsWith(namePrefix, StringComparison.Ordinal));

    public override string ToString() =>
        $"{(Succeeded ? "success" : "failure")}\n" + string.Join("\n", Steps.Select(s => $"- {s.Name}: {(s.Ran ? $"exit {s.ExitCode}" : "skipped")}\n{s.Log}"));
}
