using System.Net;
using Npgsql;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Security;

/// <summary>
/// The gateway's statements are bounded (<c>Gateway:StatementTimeout</c>, here 1 s): a read stuck behind a lock on
/// <c>jobs</c> is cancelled and answered 503 with <c>Retry-After</c>, instead of holding its connection for as long as the
/// lock lasts; <c>/readyz</c> keeps answering meanwhile.
/// </summary>
public sealed class StatementTimeoutTests : IAsyncLifetime
{
    private readonly TestSystem _system = new() { GatewaySettings = { ["Gateway__StatementTimeout"] = "00:00:01" } };

    public Task InitializeAsync() => _system.InitializeAsync();

    public Task DisposeAsync() => _system.DisposeAsync();

    [Fact]
    public async Task JobList_BlockedByALock_Answers503WithinTheTimeout()
    {
        await using var connection = new NpgsqlConnection(_system.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE", connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        using var http = new HttpClient { BaseAddress = _system.GatewayUrl, Timeout = TimeSpan.FromSeconds(15) };
        using var read = await http.GetAsync("/api/jobs?limit=1");
        using var ready = await http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
        Assert.NotNull(read.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        await transaction.RollbackAsync();
        using var after = await http.GetAsync("/api/jobs?limit=1");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}
