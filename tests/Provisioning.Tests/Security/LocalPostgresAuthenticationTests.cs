using System.Diagnostics;
using Npgsql;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Security;

/// <summary>
/// The private PostgreSQL servers of the tests (<see cref="PostgresServer"/>, <c>./test.sh</c>) and of <c>./run.sh</c>
/// (<c>scripts/postgres.sh</c>) take only the password they were made with: no trust authentication, so another user of
/// the machine cannot log in over loopback.
/// </summary>
public sealed class LocalPostgresAuthenticationTests
{
    [Fact]
    public async Task TestServer_WithoutPassword_Refused()
    {
        var withPassword = new NpgsqlConnectionStringBuilder(await TestPostgres.CreateDatabaseAsync("auth"));
        Assert.False(string.IsNullOrEmpty(withPassword.Password));

        await AssertRefusedAsync(Without(withPassword, password: null));
        await AssertRefusedAsync(Without(withPassword, password: "not-the-password"));
        await using var accepted = new NpgsqlConnection(withPassword.ConnectionString);
        await accepted.OpenAsync();
    }

    [Fact]
    public async Task PostgresScript_NewCluster_OnlyThePasswordLogsIn()
    {
        var folder = Directory.CreateTempSubdirectory("provisioning-pg-script-");
        File.SetUnixFileMode(folder.FullName, (UnixFileMode)0b111_101_101);
        var data = Path.Combine(folder.FullName, "data");
        var port = FreePort.Next();
        try
        {
            var up = await BashAsync($"source scripts/postgres.sh && pg_up '{data}' {port} 'script-Password-1'");
            Assert.True(up.ExitCode == 0, up.Output);

            var hba = await File.ReadAllLinesAsync(Path.Combine(data, "pg_hba.conf"));
            Assert.DoesNotContain(hba.Where(l => !l.TrimStart().StartsWith('#')), l => l.Contains("trust", StringComparison.Ordinal));
            var server = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres", Pooling = false };
            await AssertRefusedAsync(Without(server, password: null));
            await AssertRefusedAsync(Without(server, password: "guess"));
            await using var accepted = new NpgsqlConnection(Without(server, password: "script-Password-1"));
            await accepted.OpenAsync();
        }
        finally
        {
            await BashAsync($"source scripts/postgres.sh && pg_down '{data}'");
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task PostgresScript_ClusterMadeWithTrust_AsksForThePasswordFromThenOn()
    {
        var folder = Directory.CreateTempSubdirectory("provisioning-pg-script-");
        File.SetUnixFileMode(folder.FullName, (UnixFileMode)0b111_101_101);
        var data = Path.Combine(folder.FullName, "data");
        var port = FreePort.Next();
        try
        {
            // What an older ./run.sh left in .local/pgdata: a cluster that trusts every local connection.
            var old = await BashAsync($"""
                source scripts/postgres.sh
                mkdir -p '{data}'
                if [ "$(id -u)" = 0 ]; then chown postgres '{data}'; fi
                pg_as_owner "$(pg_find_bin)/initdb" -D '{data}' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
                """);
            Assert.True(old.ExitCode == 0, old.Output);

            var up = await BashAsync($"source scripts/postgres.sh && pg_up '{data}' {port} 'upgraded-Password-2'");

            Assert.True(up.ExitCode == 0, up.Output);
            var server = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres", Pooling = false };
            await AssertRefusedAsync(Without(server, password: null));
            await using var accepted = new NpgsqlConnection(Without(server, password: "upgraded-Password-2"));
            await accepted.OpenAsync();
        }
        finally
        {
            await BashAsync($"source scripts/postgres.sh && pg_down '{data}'");
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The connection string with <paramref name="password"/> (none when null), and no password file to fall back on.</summary>
    private static string Without(NpgsqlConnectionStringBuilder server, string? password) =>
        new NpgsqlConnectionStringBuilder(server.ConnectionString) { Password = password, Passfile = "/dev/null", Pooling = false }.ConnectionString;

    private static async Task AssertRefusedAsync(string connectionString)
    {
        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PGPASSWORD")), "PGPASSWORD is set in the test process: a connection without a password would use it");
        await using var connection = new NpgsqlConnection(connectionString);
        var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());
        Assert.True(
            refused is PostgresException { SqlState: PostgresErrorCodes.InvalidPassword } || refused.Message.Contains("No password has been provided", StringComparison.Ordinal),
            refused.ToString());
    }

    private static async Task<(int ExitCode, string Output)> BashAsync(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment.Remove("PGPASSWORD");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
