using System.Diagnostics;
namespace Provisioning.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL server on loopback, made with the Debian binaries in a temporary folder.
/// As root, initdb and pg_ctl run as the <c>postgres</c> user (PostgreSQL refuses to run as root).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _bin;

    private PostgresServer(string dataDir, int port, string bin)
    {
        DataDir = dataDir;
        Port = port;
        _bin = bin;
    }

    public string DataDir { get; }

    public int Port { get; }

    /// <summary>Connection string of the server's <c>postgres</c> database, as the superuser.</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public static async Task<PostgresServer> StartNewAsync()
    {
        var bin = FindBin();
        var root = Directory.CreateTempSubdirectory("provisioning-pg-");
        File.SetUnixFileMode(root.FullName, (UnixFileMode)0b111_101_101);
        var dataDir = Path.Combine(root.FullName, "data");
        Directory.CreateDirectory(dataDir);
        await RunAsync("chown", "postgres", dataDir, skipUnlessRoot: true);
        var server = new PostgresServer(dataDir, FreePort.Next(), bin);
        await server.RunPgAsync("initdb", "-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
        await server.StartAsync();
        return server;
    }

    public Task StartAsync() =>
        RunPgAsync("pg_ctl", "-D", DataDir, "-l", Path.Combine(DataDir, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {DataDir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off", "start");

    public Task StopAsync() => RunPgAsync("pg_ctl", "-D", DataDir, "-m", "fast", "-w", "stop");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(Path.GetDirectoryName(DataDir)!, recursive: true);
    }

    private static string FindBin()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).OrderDescending()
            : Enumerable.Empty<string>();
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL binaries not found under /usr/lib/postgresql (apt-get install postgresql)");
    }

    private Task RunPgAsync(string tool, params string[] args)
    {
        var path = Path.Combine(_bin, tool);
        return Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. args])
            : RunAsync(path, args);
    }

    private static Task RunAsync(string file, string arg0, string arg1, bool skipUnlessRoot) =>
        skipUnlessRoot && Environment.UserName != "root" ? Task.CompletedTask : RunAsync(file, [arg0, arg1]);

    private static async Task RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
