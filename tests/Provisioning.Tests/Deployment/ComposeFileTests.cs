using System.Diagnostics;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Deployment;

/// <summary>
/// docker-compose.yml checked offline against the Compose specification's schema (tools/compose-lint, installed by
/// ./test.sh with npm ci), including the Dockerfiles and files it references.
/// </summary>
public sealed class ComposeFileTests
{
    [Fact]
    public async Task ComposeFile_AgainstComposeSpecification_IsValid()
    {
        var (exitCode, output) = await ValidateAsync(Path.Combine(Repository.Root, "docker-compose.yml"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("OK", output);
    }

    [Theory]
    [InlineData("replicas: 2", "replicas: two")]
    [InlineData("services:", "servics:")]
    [InlineData("dockerfile: src/Silo/Dockerfile", "dockerfile: src/Silo/Dockerfile.missing")]
    [InlineData("condition: service_completed_successfully", "condition: service_completed")]
    public async Task ComposeFile_Broken_IsRejected(string original, string broken)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docker-compose.yml"));
        Assert.Contains(original, text);
        var path = Path.Combine(Repository.Root, $".compose-test-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(path, text.Replace(original, broken));
        try
        {
            var (exitCode, output) = await ValidateAsync(path);

            Assert.True(exitCode == 1, output);
            Assert.Contains("error", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<(int ExitCode, string Output)> ValidateAsync(string composeFile)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "tools", "compose-lint", "validate.mjs"));
        start.ArgumentList.Add(composeFile);
        start.Environment["POSTGRES_PASSWORD"] = "compose-test";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
