using System.Diagnostics;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Workflow;

/// <summary>Runs <c>scripts/provision-callback.sh</c> with bash, with only the environment a test gives it (no GitHub variables leak in).</summary>
public static class CallbackScript
{
    public static string Path { get; } = System.IO.Path.Combine(Repository.Root, "scripts", "provision-callback.sh");

    /// <summary>A secret in the Standard Webhooks form, for tests that only need the script and a receiver to agree.</summary>
    public const string Secret = "whsec_c2NyaXB0LXRlc3RzLWNhbGxiYWNrLXNpZ25pbmcta2V5MDE=";

    private static readonly string[] ScriptVariables =
    [
        "CALLBACK_URL", "JOB_ID", "ATTEMPT", "PROVISIONING_CALLBACK_SECRET", "GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT",
        "GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "CALLBACK_TRIES", "CALLBACK_RETRY_DELAY", "CALLBACK_TIMEOUT",
    ];

    /// <summary>The variables of a run in GitHub Actions calling back to <paramref name="url"/>, with no retry delay.</summary>
    public static Dictionary<string, string?> Environment(Uri url, string jobId, string attempt = "1", string secret = Secret) => new()
    {
        ["CALLBACK_URL"] = url.ToString(),
        ["JOB_ID"] = jobId,
        ["ATTEMPT"] = attempt,
        ["PROVISIONING_CALLBACK_SECRET"] = secret,
        ["GITHUB_RUN_ID"] = "987654321",
        ["GITHUB_RUN_ATTEMPT"] = "1",
        ["GITHUB_SERVER_URL"] = "https://github.com",
        ["GITHUB_REPOSITORY"] = "acme/agent-infra",
        ["CALLBACK_RETRY_DELAY"] = "0",
        ["CALLBACK_TIMEOUT"] = "10",
    };

    public static async Task<ScriptResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        start.ArgumentList.Add(Path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in ScriptVariables)
        {
            start.Environment.Remove(name);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        return new ScriptResult(process.ExitCode, await stdout, await stderr);
    }
}

public sealed record ScriptResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
