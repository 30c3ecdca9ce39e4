using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Provisioning.Grains.Jobs;
using Provisioning.StripeEvents;

namespace Provisioning.Grains.StripeInbox;

/// <summary>
/// The inbox's entry point on each silo: a local, reentrant stateless worker, so a delivery is stored by the silo whose
/// gateway received it and concurrent deliveries share that silo's round trips and commits. It decides the event's route,
/// appends the row, answers, and hands the new event to <see cref="StripeInboxProcessor"/> off the delivery's path.
/// </summary>
[StatelessWorker(1), Reentrant]
public sealed partial class StripeInboxGrain(
    StripeInbox inbox,
    StripeInboxProcessor processor,
    StripeInboxBackstop backstop,
    IOptions<JobsOptions> jobsOptions,
    IOptions<StripeInboxOptions> inboxOptions,
    ILogger<StripeInboxGrain> logger) : Grain, IStripeInboxGrain
{
    public const string WebhookSource = "webhook";

    public async Task<StripeInboxAnswer> AppendAsync(StripeEventEnvelope stripeEvent, byte[] body)
    {
        if (await backstop.FreshBacklogAsync() is { IsFull: true } full)
        {
            LogRefused(logger, stripeEvent.EventId, full.Events, full.Bound);
            return new StripeInboxAnswer(null, full);
        }

        var route = StripeEventRoute.Decide(stripeEvent, jobsOptions.Value);
        var (record, duplicate) = await inbox.AppendAsync(stripeEvent, body, route, WebhookSource, inboxOptions.Value.HandOverLease);
        if (duplicate)
        {
            LogDuplicate(logger, record.EventId, record.Outcome);
        }
        else
        {
            LogStored(logger, record.EventId, record.Type, record.Outcome);
            if (record.ProcessedAt is null && route.Work is { } work)
            {
                processor.HandOver(new InboxEntry(record.EventId, record.Created, work), Activity.Current?.Context ?? default);
            }
        }

        return new StripeInboxAnswer(new StripeEventReceipt(record, duplicate), null);
    }

    public Task<StripeEventRecord?> GetAsync(string eventId) => inbox.GetAsync(eventId);

    public async Task<StripeEventRecord?> ProcessAsync(string eventId)
    {
        if (await inbox.GetOwedAsync(eventId) is { } owed)
        {
            await processor.ProcessAsync(owed, Activity.Current?.Context ?? default);
        }

        return await inbox.GetAsync(eventId);
    }

    public async Task<InboxBacklog> GetBacklogAsync() => backstop.Backlog ?? await backstop.MeasureAsync(CancellationToken.None);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Stripe event {EventId} ({Type}) stored: {Outcome}")]
    private static partial void LogStored(ILogger logger, string eventId, string type, string outcome);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Debug, Message = "Stripe event {EventId} delivered again; stored outcome {Outcome}")]
    private static partial void LogDuplicate(ILogger logger, string eventId, string outcome);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "Stripe event {EventId} refused: {Backlog} events unprocessed, bound {Bound}")]
    private static partial void LogRefused(ILogger logger, string eventId, long backlog, long bound);
}
