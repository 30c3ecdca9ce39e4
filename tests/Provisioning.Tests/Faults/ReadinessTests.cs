using System.Net;
using System.Text.Json;
using Provisioning.Migrator;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Faults;

/// <summary>/readyz follows the database: 503 naming the failed check while PostgreSQL is down, 200 again once it is back, with no restart.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Readyz_PostgresStoppedThenRestarted_Answers503Then200()
    {
        await using var server = await PostgresServer.StartNewAsync();
        var database = await TestPostgres.CreateDatabaseOnAsync(server.AdminConnectionString, "ready");
        await DatabaseMigrator.MigrateAsync(database);
        await using var cluster = new ProcessCluster(database);
        await cluster.StartSiloAsync("silo-1");
        var (gateway, url) = await cluster.StartGatewayAsync();
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };

        await Eventually.UntilAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "/readyz 200 with the database up");

        await server.StopAsync();
        var down = await Eventually.UntilAsync(() => http.GetAsync("/readyz"),
            r => r.StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30), "/readyz 503 with the database down");
        using (var body = JsonDocument.Parse(await down.Content.ReadAsStringAsync()))
        {
            Assert.Equal("unavailable", body.RootElement.GetProperty("status").GetString());
            var checks = body.RootElement.GetProperty("checks");
            Assert.False(checks.GetProperty("database").GetProperty("ok").GetBoolean());
            // The failed check is named by its key; the answer carries no exception text (it is open to anyone).
            Assert.Contains(checks.GetProperty("database").GetProperty("error").GetString(), new[] { "failed", "no answer within 2 s" });
        }

        await server.StartAsync();
        await Eventually.UntilAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "/readyz 200 again after PostgreSQL restarted");
        Assert.False(gateway.HasExited);
    }
}
