using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Provisioning.Grains.Jobs;
using Provisioning.Grains.StripeInbox;
using Provisioning.Jobs;
using Provisioning.StripeEvents;
using Provisioning.Tests.Cluster;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Inbox;

/// <summary>
/// The inbox on two silos and a real PostgreSQL: one job per checkout session whatever Stripe sends, and every stored
/// event carried out, by the silo that stored it or, when that hand-over never happens, by a backstop.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class StripeInboxTests(PostgresClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly JobsOptions Jobs = new() { Regions = ["us-east", "us-west", "eu-west"] };

    private IStripeInboxGrain Inbox => fixture.Cluster.Client.GetGrain<IStripeInboxGrain>(0);

    [Fact]
    public async Task AppendAsync_SecondEventObjectForTheSameSession_StoredAsDuplicateOfTheFirstAndCreatesNothing()
    {
        var (first, second) = TwoEventObjects();

        var firstAnswer = await Inbox.AppendAsync(first, "{}"u8.ToArray());
        var secondAnswer = await Inbox.AppendAsync(second, "{}"u8.ToArray());

        Assert.Equal((StripeEventRoute.JobCreated, first.EventId, false), (firstAnswer.Receipt!.Record.Outcome, firstAnswer.Receipt.Record.JobId, firstAnswer.Receipt.Duplicate));
        var duplicate = secondAnswer.Receipt!.Record;
        Assert.Equal(($"duplicate of {first.EventId}", first.EventId, first.EventId, false), (duplicate.Outcome, duplicate.DuplicateOf, duplicate.JobId, secondAnswer.Receipt.Duplicate));
        Assert.NotNull(duplicate.ProcessedAt);
        await UntilJobAsync(first.EventId);
        Assert.Null(await fixture.Cluster.Client.GetGrain<IProvisioningJobGrain>(second.EventId).GetAsync());
        Assert.Equal(duplicate, await Inbox.GetAsync(second.EventId));
    }

    [Fact]
    public async Task AppendAsync_TwoEventObjectsForOneSessionConcurrentlyThenRedelivered_OneJob()
    {
        var (a, b) = TwoEventObjects();

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Inbox.AppendAsync(i % 2 == 0 ? a : b, "{}"u8.ToArray())));
        var again = await Task.WhenAll(Inbox.AppendAsync(a, "{}"u8.ToArray()), Inbox.AppendAsync(b, "{}"u8.ToArray()));

        var records = answers.Concat(again).Select(x => x.Receipt!.Record).ToList();
        var creator = Assert.Single(records.Where(r => r.Outcome == StripeEventRoute.JobCreated).Select(r => r.EventId).Distinct());
        var other = creator == a.EventId ? b.EventId : a.EventId;
        Assert.All(records.Where(r => r.EventId == other), r => Assert.Equal(($"duplicate of {creator}", creator), (r.Outcome, r.JobId)));
        Assert.Equal(2, answers.Count(x => !x.Receipt!.Duplicate));
        Assert.All(again, x => Assert.True(x.Receipt!.Duplicate));
        Assert.Equal(1L, await ScalarAsync<long>(
            "SELECT count(*) FROM stripe_inbox WHERE checkout_session_id = $1 AND creates_job", a.Checkout!.SessionId));
        await UntilJobAsync(creator);
        Assert.Null(await fixture.Cluster.Client.GetGrain<IProvisioningJobGrain>(other).GetAsync());
    }

    [Fact]
    public async Task Backstop_EventStoredButNeverHandedOver_CreatesItsJobAndMarksItProcessed()
    {
        var (stored, _) = TwoEventObjects();

        // What a silo killed right after the commit leaves: the row, its hand-over lapsed, nothing carried out.
        await StoreWithoutHandOverAsync(stored, handOverLease: TimeSpan.FromSeconds(-1));
        Assert.Null(await fixture.Cluster.Client.GetGrain<IProvisioningJobGrain>(stored.EventId).GetAsync());

        var job = await UntilJobAsync(stored.EventId);
        Assert.Equal((stored.Checkout!.UserId, stored.Checkout.AgentId), (job.UserId, job.AgentId));
        var record = await Eventually.UntilAsync(() => Inbox.GetAsync(stored.EventId), r => r?.ProcessedAt is not null, Deadline, "the row marked processed");
        Assert.True(record!.Attempts >= 1);
        Assert.Null(record.LastError);
    }

    [Fact]
    public async Task ProcessAsync_EventStoredWhileItsHandOverIsPending_CreatesTheJobAtOnce()
    {
        var (stored, _) = TwoEventObjects();
        await StoreWithoutHandOverAsync(stored, handOverLease: TimeSpan.FromHours(1));

        var record = await Inbox.ProcessAsync(stored.EventId);

        Assert.NotNull(record?.ProcessedAt);
        var job = await fixture.Cluster.Client.GetGrain<IProvisioningJobGrain>(stored.EventId).GetAsync();
        Assert.Equal(stored.EventId, job?.JobId);
        Assert.Equal(record, await Inbox.ProcessAsync(stored.EventId));
        Assert.Null(await Inbox.ProcessAsync($"evt_never_{Guid.NewGuid():N}"));
    }

    [Fact]
    public async Task GetBacklogAsync_EventsWaitingForTheirHandOver_CountsThemAndTheOldestAge()
    {
        var (waiting, _) = TwoEventObjects();
        await StoreWithoutHandOverAsync(waiting, handOverLease: TimeSpan.FromHours(1));

        var backlog = await Eventually.UntilAsync(() => Inbox.GetBacklogAsync(), b => b.Events >= 1, Deadline, "the backlog to count the waiting event");

        Assert.True(backlog.OldestAge >= TimeSpan.Zero);
        Assert.Equal(new StripeInboxOptions().MaxBacklog, backlog.Bound);
        await Inbox.ProcessAsync(waiting.EventId);
    }

    [Fact]
    public async Task MarkProcessedAsync_SharingRoundTripsWithReads_EachReadGetsItsOwnRow()
    {
        // Reminder reads answer rows of one shape, so a read handed another statement's answer would not notice.
        var reminders = fixture.SiloServices().GetRequiredService<IReminderTable>();
        var ids = Enumerable.Range(0, 40).Select(i => GrainId.Create("test-counter", $"inbox-marks-{Guid.NewGuid():N}-{i}")).ToArray();
        await Task.WhenAll(ids.Select(id => reminders.UpsertRow(
            new ReminderEntry { GrainId = id, ReminderName = "owed-work", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1) })));
        var inbox = fixture.SiloServices().GetRequiredService<StripeInbox>();

        // Each mark and read issued together, all at once: they share batches, a mark right before a read.
        var answers = await Task.WhenAll(ids.Select(async id =>
        {
            var mark = inbox.MarkProcessedAsync($"evt_never_{Guid.NewGuid():N}");
            var read = reminders.ReadRow(id, "owed-work");
            await mark;
            return (Asked: id, Read: await read);
        }));

        Assert.All(answers, a => Assert.Equal(a.Asked, a.Read?.GrainId));
    }

    private async Task StoreWithoutHandOverAsync(StripeEventEnvelope e, TimeSpan handOverLease)
    {
        var inbox = fixture.SiloServices().GetRequiredService<StripeInbox>();
        var (record, duplicate) = await inbox.AppendAsync(e, "{}"u8.ToArray(), StripeEventRoute.Decide(e, Jobs), "webhook", handOverLease);
        Assert.False(duplicate);
        Assert.Null(record.ProcessedAt);
    }

    private async Task<JobSnapshot> UntilJobAsync(string jobId) =>
        (await Eventually.UntilAsync(
            () => fixture.Cluster.Client.GetGrain<IProvisioningJobGrain>(jobId).GetAsync(), j => j is not null, Deadline, $"job {jobId}"))!;

    private async Task<T> ScalarAsync<T>(string sql, string parameter)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = parameter } } };
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Two Event objects Stripe could send for one paid checkout session: different ids, the same session.</summary>
    private static (StripeEventEnvelope First, StripeEventEnvelope Second) TwoEventObjects()
    {
        var session = $"cs_inbox_{Guid.NewGuid():N}";
        var checkout = new CheckoutCompleted(session, $"agent_{Guid.NewGuid():N}", $"user_{Guid.NewGuid():N}", null, null, null, "paid");
        var created = DateTimeOffset.UtcNow.AddSeconds(-5);
        StripeEventEnvelope Event(string type) =>
            new($"evt_inbox_{Guid.NewGuid():N}", type, created, false, "2024-06-20", checkout, null, session);
        return (Event("checkout.session.completed"), Event("checkout.session.async_payment_succeeded"));
    }
}
