using System.Diagnostics;
using Provisioning.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Provisioning.Tests.Deployment;

/// <summary>
/// The Kubernetes deployment in <c>deploy/k8s</c>, rendered by kustomize (<c>kubectl kustomize</c>) and checked by
/// tools/k8s-lint (installed by ./test.sh). kubectl is the machine's, or the one scripts/install-test-tools.sh unpacked
/// into tools/k8s-lint/bin when the machine has none.
/// </summary>
public static class KubernetesManifests
{
    public static string Directory { get; } = Path.Combine(Repository.Root, "deploy", "k8s");

    /// <summary>Runs <c>kubectl kustomize</c> on <paramref name="directory"/>; fails the test when kustomize refuses it.</summary>
    public static async Task<string> RenderAsync(string directory)
    {
        var (exitCode, stdout, stderr) = await RunAsync(Kubectl(), ["kustomize", directory], stdin: null);
        Assert.True(exitCode == 0, $"kubectl kustomize {directory} failed: {stderr}");
        return stdout;
    }

    /// <summary>Validates rendered manifests against the Kubernetes schemas: exit code and output of tools/k8s-lint.</summary>
    public static async Task<(int ExitCode, string Output)> LintAsync(string rendered)
    {
        var script = Path.Combine(Repository.Root, "tools", "k8s-lint", "validate.mjs");
        var (exitCode, stdout, stderr) = await RunAsync("node", [script, "-"], rendered);
        return (exitCode, stdout + stderr);
    }

    /// <summary>Every object of a multi-document YAML stream, as YAML mappings.</summary>
    public static IReadOnlyList<YamlMappingNode> Parse(string rendered)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(rendered));
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    /// <summary>A copy of deploy/k8s in a fresh directory, to change or to add files (such as an overlay's secrets.env) to.</summary>
    public static string CopyToTemporaryDirectory()
    {
        var target = Path.Combine(Path.GetTempPath(), $"provisioning-k8s-{Guid.NewGuid():N}");
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(Directory, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        return target;
    }

    private static string Kubectl()
    {
        var unpacked = Path.Combine(Repository.Root, "tools", "k8s-lint", "bin", "kubectl");
        return File.Exists(unpacked) ? unpacked : "kubectl";
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string program, IEnumerable<string> arguments, string? stdin)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
