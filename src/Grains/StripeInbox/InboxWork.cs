using System.Text.Json;
using Provisioning.Jobs;
using Provisioning.StripeEvents;

namespace Provisioning.Grains.StripeInbox;

/// <summary>
/// What processing a stored event does: create its job, apply its change to a subscription, or both (a subscription
/// checkout). Stored with the event (column <c>work</c>) so that any silo can carry it out again.
/// </summary>
public sealed record InboxWork(NewJob? Job, SubscriptionChange? Subscription)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static InboxWork FromJson(string json) =>
        JsonSerializer.Deserialize<InboxWork>(json, Json) ?? throw new JsonException("the stored work is null");
}

/// <summary>A stored event whose work is still owed.</summary>
public sealed record InboxEntry(string EventId, DateTimeOffset Created, InboxWork Work);
