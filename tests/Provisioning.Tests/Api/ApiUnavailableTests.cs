using System.Net;
using Provisioning.Migrator;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Api;

/// <summary>
/// The API follows the parts it reads from: 503 with Retry-After while PostgreSQL is down or no silo has been reached yet,
/// 200 again once they are back.
/// </summary>
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

    [Fact]
    public async Task GetJob_BeforeAnySiloIsReachable_Answers503ProblemThen200()
    {
        var database = await TestPostgres.CreateMigratedDatabaseAsync("apinosilo");
        await using var cluster = new ProcessCluster(database);
        var (_, url) = await cluster.StartGatewayAsync(waitUntilReady: false);
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };

        using var before = await http.GetAsync("/api/jobs/evt_unknown");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        Assert.Equal("application/problem+json", before.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), before.Headers.RetryAfter?.Delta);
        Assert.Contains("cluster", await before.Content.ReadAsStringAsync());

        await cluster.StartSiloAsync("silo-1");
        await Eventually.UntilAsync(async () => (await http.GetAsync("/api/jobs/evt_unknown")).StatusCode == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(90), "GET /api/jobs/{id} answered by the cluster (404 for an unknown job) once a silo runs");
    }
}
