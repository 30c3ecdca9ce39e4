using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Provisioning.Grains;
using Provisioning.Grains.StripeEvents;
using Provisioning.Jobs;
using Provisioning.StripeEvents;
using Provisioning.Tests.Cluster;

namespace Provisioning.Tests.Grains;

/// <summary>
/// The event grain writes its record and routes the event side by side: a record can become durable while its route
/// failed (the webhook then answered 503). Stripe's redelivery must still create the job.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class StripeEventRoutingTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task RecordAsync_RecordStoredButJobNeverCreated_RedeliveryCreatesTheJobAndAnswersFromTheRecord()
    {
        var eventId = $"evt_routing_{Guid.NewGuid():N}";
        var created = DateTimeOffset.UtcNow.AddMinutes(-1);
        var stripeEvent = new StripeEventEnvelope(eventId, "checkout.session.completed", created, false, null,
            new CheckoutCompleted($"cs_{Guid.NewGuid():N}", "agent_routing", $"user_{Guid.NewGuid():N}", null, null, null, "paid"), null);

        // What a delivery leaves when the record's write committed and the job's creation failed.
        var recorded = new StripeEventRecord(eventId, stripeEvent.Type, created, false, created, StripeEventGrain.JobCreated, eventId, null);
        var storage = fixture.SiloServices().GetRequiredKeyedService<IGrainStorage>(ProvisioningStorage.Name);
        await storage.WriteStateAsync("stripe-event", GrainId.Create("stripeevent", eventId),
            new GrainState<StripeEventState>(new StripeEventState { Record = recorded }));
        Assert.Null(await fixture.Cluster.Client.GetGrain<IProvisioningJobGrain>(eventId).GetAsync());

        var receipt = await fixture.Cluster.Client.GetGrain<IStripeEventGrain>(eventId).RecordAsync(stripeEvent);

        Assert.True(receipt.Duplicate);
        Assert.Equal(recorded, receipt.Record);
        var job = await fixture.Cluster.Client.GetGrain<IProvisioningJobGrain>(eventId).GetAsync();
        Assert.NotNull(job);
        Assert.Equal(stripeEvent.Checkout!.UserId, job.UserId);
    }
}
