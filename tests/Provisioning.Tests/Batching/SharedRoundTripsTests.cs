using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Provisioning.Grains.Batching;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Batching;

/// <summary>Concurrent statements sharing round trips on a real PostgreSQL: every caller gets its own statement's answer.</summary>
public sealed class SharedRoundTripsTests : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;
    private SharedRoundTrips _roundTrips = null!;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync("roundtrips"));
        _roundTrips = new SharedRoundTrips(_dataSource, NullLogger<SharedRoundTrips>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _roundTrips.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    [Fact]
    public async Task FirstRowAsync_ManyConcurrentQueries_EachCallerGetsItsOwnRow()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            _roundTrips.FirstRowAsync("SELECT", "none", () => Select(i), reader => reader.GetInt32(0))));

        Assert.Equal(Enumerable.Range(0, 200), answers);
    }

    [Fact]
    public async Task FirstRowAsync_StatementWithoutResultSetAmongQueries_NoCallerGetsAnotherStatementsRow()
    {
        // A write without RETURNING has no result set; sharing a batch with it must not shift the other answers.
        var calls = Enumerable.Range(0, 200).Select(i => i % 50 == 7
            ? _roundTrips.FirstRowAsync<object>("UPDATE", "none", () => new NpgsqlBatchCommand("SET LOCAL application_name = 'x'"), _ => i)
                .ContinueWith(t => t.IsFaulted ? -1 : i, TaskScheduler.Default)
            : _roundTrips.FirstRowAsync("SELECT", "none", () => Select(i), reader => reader.GetInt32(0)));

        var answers = await Task.WhenAll(calls);

        Assert.All(answers.Select((answer, i) => (answer, i)), a => Assert.True(a.answer == a.i || (a.i % 50 == 7 && a.answer == -1), $"call {a.i} got {a.answer}"));
    }

    private static NpgsqlBatchCommand Select(int i) => new("SELECT $1::int") { Parameters = { new() { Value = i } } };
}
