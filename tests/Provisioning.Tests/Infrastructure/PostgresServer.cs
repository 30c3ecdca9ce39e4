using System.Diagnostics;
namespace Provisioning.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL server on loopback, made with the Debian binaries in a temporary folder.
/// As root, initdb and pg_ctl run as the <c>postgres</c> user (PostgreSQL refuses to run as root). The superuser logs in with
/// a password of its own (scram-sha-256, no trust), which only <see cref="AdminConnectionString"/> carries.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _bin;

    private readonly NetworkHost? _host;

    private PostgresServer(string dataDir, int port, string bin, NetworkHost? host, string password)
    {
        DataDir = dataDir;
        Port = port;
        _bin = bin;
        _host = host;
        Password = password;
    }

    /// <summary>The password of the superuser <c>postgres</c>.</summary>
    public string Password { get; }

    public string DataDir { get; }

    public int Port { get; }

    /// <summary>Connection string of the server's <c>postgres</c> database, as the superuser.</summary>
    public string AdminConnectionString => $"Host={Address};Port={Port};Username=postgres;Password={Password};Database=postgres;Pooling=false";

    /// <summary>Where the server listens: loopback, or its host's address.</summary>
    public string Address => _host?.Address ?? "127.0.0.1";

    /// <summary>
    /// Initialises and starts a server on loopback or, with <paramref name="host"/>, in that host's network namespace on its
    /// address, accepting connections from <paramref name="clients"/> (a CIDR such as <c>10.231.7.0/24</c>).
    /// </summary>
    public static async Task<PostgresServer> StartNewAsync(NetworkHost? host = null, string? clients = null)
    {
        var bin = FindBin();
        var root = Directory.CreateTempSubdirectory("provisioning-pg-");
        File.SetUnixFileMode(root.FullName, (UnixFileMode)0b111_101_101);
        var dataDir = Path.Combine(root.FullName, "data");
        Directory.CreateDirectory(dataDir);
        await RunAsync("chown", "postgres", dataDir, skipUnlessRoot: true);
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var passwordFile = Path.Combine(root.FullName, "password");
        await File.WriteAllTextAsync(passwordFile, password + "\n");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await RunAsync("chown", "postgres", passwordFile, skipUnlessRoot: true);
        var server = new PostgresServer(dataDir, host is null ? FreePort.Next() : 5432, bin, host, password);
        await server.RunPgAsync("initdb", "-D", dataDir, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
        File.Delete(passwordFile);
        if (clients is not null)
        {
            await File.AppendAllTextAsync(Path.Combine(dataDir, "pg_hba.conf"), $"host all all {clients} scram-sha-256\n");
        }

        await server.StartAsync();
        return server;
    }

    public Task StartAsync() =>
        RunPgAsync("pg_ctl", "-D", DataDir, "-l", Path.Combine(DataDir, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {DataDir} -c listen_addresses={Address} -c max_connections=300 -c fsync=off", "start");

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
        if (_host is not null)
        {
            return RunAsync("ip", ["netns", "exec", _host.Namespace, "runuser", "-u", "postgres", "--", path, .. args]);
        }

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
