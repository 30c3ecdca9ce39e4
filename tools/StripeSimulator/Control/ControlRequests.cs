namespace Provisioning.StripeSimulator.Control;

/// <summary>
/// A paid checkout to create: its <c>checkout.session.completed</c> event with the wizard's metadata. <see cref="Created"/>
/// (unix seconds) backdates it; <see cref="Deliver"/> false holds it without a delivery attempt.
/// </summary>
public sealed record CheckoutRequest(string? UserId, string? AgentId, string? Region = null, string? EventId = null, long? Created = null, bool? Deliver = null);

/// <summary>The created checkout: its event, session and the delivery's outcome (null when none was attempted).</summary>
public sealed record CheckoutAnswer(string EventId, string SessionId, long Created, bool Delivered, int? DeliveryStatus, string? DeliveryOutcome);

/// <summary>
/// The endpoint's knobs; a null member leaves that knob as it is. <see cref="Url"/>: where deliveries go from now on;
/// <see cref="ApiDelayMilliseconds"/>: a wait before each API request is served.
/// </summary>
public sealed record EndpointRequest(string? Status = null, bool? DropDeliveries = null, string? Url = null, int? ApiDelayMilliseconds = null);

/// <summary>The endpoint's state as the control API reports it.</summary>
public sealed record EndpointAnswer(string Id, string Status, bool DropDeliveries, string? Url, int ApiDelayMilliseconds);

/// <summary>A fault to queue: <see cref="Status"/> 429 or 500, for <see cref="Times"/> requests (default 1; 0: until cleared).</summary>
public sealed record FaultRequest(int? Status, int? Times = null, int? RetryAfterSeconds = null);

/// <summary>An event held, with its deliveries.</summary>
public sealed record EventAnswer(string Id, string Type, long Created, bool Delivered, IReadOnlyList<Events.DeliveryAttempt> Deliveries);
