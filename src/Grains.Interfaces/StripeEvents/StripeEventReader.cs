using System.Text.Json;
namespace Provisioning.StripeEvents;

/// <summary>
/// Reads the few fields the service acts on from a verified Stripe event, with <see cref="JsonDocument"/> rather than
/// Stripe.net's typed model: whatever API version the account is pinned to, a field that moved or a type that changed
/// elsewhere in the object cannot stop ingestion. Where API versions put a field in different places, both are read.
/// Webhook deliveries and events listed by reconciliation are read alike.
/// </summary>
public static class StripeEventReader
{
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>The event's envelope, or why the body is not a Stripe event (and whether it is not JSON at all).</summary>
    public static (StripeEventEnvelope? Envelope, string? Problem, bool MalformedJson) Read(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return (null, ex.Message, true);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return NotAnEvent($"it is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }

            if (String(root, "object") != "event")
            {
                return NotAnEvent("\"object\" is not \"event\"");
            }

            if (String(root, "id") is not { Length: > 0 } id)
            {
                return NotAnEvent("it has no \"id\"");
            }

            if (String(root, "type") is not { Length: > 0 } type)
            {
                return NotAnEvent("it has no \"type\"");
            }

            if (UnixTime(root, "created") is not { } created)
            {
                return NotAnEvent("it has no \"created\" time (unix seconds)");
            }

            if (Property(root, "data") is not { } data || Object(data, "object") is not { } dataObject)
            {
                return NotAnEvent("it has no \"data.object\"");
            }

            var envelope = new StripeEventEnvelope(
                id, type, created, Bool(root, "livemode") ?? false, String(root, "api_version"),
                ReadCheckout(type, dataObject), ReadSubscriptionChange(type, dataObject), String(dataObject, "id"));
            return (envelope, null, false);
        }
    }

    private static (StripeEventEnvelope?, string?, bool) NotAnEvent(string why) => (null, why, false);

    private static CheckoutCompleted? ReadCheckout(string type, JsonElement session)
    {
        if (type is not ("checkout.session.completed" or "checkout.session.async_payment_succeeded")
            || String(session, "id") is not { Length: > 0 } sessionId)
        {
            return null;
        }

        var metadata = Object(session, "metadata");
        string? Metadata(string key) => metadata is { } values ? String(values, key) : null;
        return new CheckoutCompleted(
            sessionId,
            AgentId: Metadata("agentId"),
            UserId: Metadata("userId"),
            Region: Metadata("region"),
            SubscriptionId: IdOf(session, "subscription"),
            CustomerId: IdOf(session, "customer"),
            PaymentStatus: String(session, "payment_status"));
    }

    private static SubscriptionChange? ReadSubscriptionChange(string type, JsonElement obj) => type switch
    {
        "customer.subscription.created" or "customer.subscription.updated" or "customer.subscription.deleted" =>
            ReadSubscription(obj),
        "invoice.paid" => ReadInvoice(obj, "paid"),
        "invoice.payment_failed" => ReadInvoice(obj, "failed"),
        _ => null,
    };

    private static SubscriptionChange? ReadSubscription(JsonElement subscription)
    {
        if (String(subscription, "id") is not { Length: > 0 } subscriptionId)
        {
            return null;
        }

        var firstItem = FirstListItem(subscription, "items");
        var priceId = firstItem is { } item
            ? IdOf(item, "price") ?? IdOf(item, "plan")
            : null;
        return new SubscriptionChange(
            subscriptionId,
            Status: String(subscription, "status"),
            CustomerId: IdOf(subscription, "customer"),
            PriceId: priceId ?? IdOf(subscription, "plan"),
            // Before API version 2025-03-31 the period is on the subscription; since then on each item.
            CurrentPeriodEnd: UnixTime(subscription, "current_period_end") ?? (firstItem is { } i ? UnixTime(i, "current_period_end") : null),
            CancelAtPeriodEnd: Bool(subscription, "cancel_at_period_end"),
            PaymentOutcome: null);
    }

    private static SubscriptionChange? ReadInvoice(JsonElement invoice, string outcome)
    {
        // Before API version 2025-03-31 an invoice names its subscription at the top; since then under parent.subscription_details.
        var subscriptionId = IdOf(invoice, "subscription")
            ?? (Object(invoice, "parent") is { } parent && Object(parent, "subscription_details") is { } details
                ? IdOf(details, "subscription")
                : null);
        return subscriptionId is { Length: > 0 }
            ? new SubscriptionChange(subscriptionId, null, IdOf(invoice, "customer"), null, null, null, outcome)
            : null;
    }

    private static JsonElement? Property(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : null;

    private static JsonElement? Object(JsonElement obj, string name) =>
        Property(obj, name) is { ValueKind: JsonValueKind.Object } value ? value : null;

    private static string? String(JsonElement obj, string name) =>
        Property(obj, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static bool? Bool(JsonElement obj, string name) =>
        Property(obj, name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

    /// <summary>A link to another Stripe object: its id as a string, or the object itself when the event expanded it.</summary>
    private static string? IdOf(JsonElement obj, string name) => Property(obj, name) switch
    {
        { ValueKind: JsonValueKind.String } id => id.GetString(),
        { ValueKind: JsonValueKind.Object } expanded => String(expanded, "id"),
        _ => null,
    };

    private static DateTimeOffset? UnixTime(JsonElement obj, string name) =>
        Property(obj, name) is { ValueKind: JsonValueKind.Number } value
            && value.TryGetInt64(out var seconds) && seconds >= 0 && seconds <= MaxUnixSeconds
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>The first element of a Stripe list object (<c>{"object":"list","data":[...]}</c>).</summary>
    private static JsonElement? FirstListItem(JsonElement obj, string name) =>
        Object(obj, name) is { } list
            && Property(list, "data") is { ValueKind: JsonValueKind.Array } data
            && data.GetArrayLength() > 0
            && data[0].ValueKind == JsonValueKind.Object
            ? data[0]
            : null;
}
