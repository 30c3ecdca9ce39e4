namespace Provisioning.Grains.StripeReconciliation;

/// <summary>
/// The stored progress: the checkpoint, and an unfinished pass's window and cursor (the last event it reconciled), if any.
/// </summary>
public sealed record ReconciliationCheckpoint(DateTimeOffset? Checkpoint, ReconciliationWindow? Pending, string? EndpointStatus);

/// <summary>Events created in [<see cref="Since"/>, <see cref="Until"/>], listed after <see cref="Cursor"/> when set.</summary>
public sealed record ReconciliationWindow(DateTimeOffset Since, DateTimeOffset Until, string? Cursor);
