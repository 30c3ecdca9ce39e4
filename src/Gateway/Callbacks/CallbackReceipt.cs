using Provisioning.Jobs;

namespace Provisioning.Gateway.Callbacks;

/// <summary>
/// The 200 answer to a callback: the job's status and attempt after it. <see cref="Duplicate"/> is true when a callback with
/// the same <c>webhook-id</c> was applied before, so nothing happened this time.
/// </summary>
public sealed record CallbackReceipt(bool Ok, string JobId, JobStatus Status, int Attempt, bool Duplicate);
