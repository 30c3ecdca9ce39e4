using System.Net;
using Provisioning.Migrator;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Api;

/// <summary>The listing follows the database: 503 with Retry-After while PostgreSQL is down, 200 again once it is back.</summary>
public sealed class ApiUnavailableTests
{
    [Fact]
    public async Task ListJobs_PostgresStoppedThenRestarted_Answers503ProblemThen200()
    {
        await using var server = await PostgresServer.StartNewAsync();
        var database = await TestPostgres.CreateDatabaseOnAsync(server.AdminConnectionString, "apidown");
        await DatabaseMigrator.MigrateAsync(database);
        await using var cluster = new ProcessCluster(database);
        await cluster.StartSiloAsync("silo-1");
        var (gateway, url) = await cluster.StartGatewayAsync();
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.UntilAsync(async () => (await http.GetAsync("/api/jobs")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "GET /api/jobs 200 with the database up");

        await server.StopAsync();
        var down = await Eventually.UntilAsync(() => http.GetAsync("/api/jobs?limit=5"),
            r => r.StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30), "GET /api/jobs 503 with the database down");

        Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), down.Headers.RetryAfter?.Delta);
        Assert.Contains("database", await down.Content.ReadAsStringAsync());

        await server.StartAsync();
        await Eventually.UntilAsync(async () => (await http.GetAsync("/api/jobs?limit=5")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "GET /api/jobs 200 again after PostgreSQL restarted");
        Assert.False(gateway.HasExited);
    }
}
