using Provisioning.Jobs;

namespace Provisioning.Grains.ReadModel;

/// <summary>The names the read model stores for statuses and actors: the enum names in lowercase, as the API shows them.</summary>
internal static class JobNames
{
    public static string Of(JobStatus status) => status switch
    {
        JobStatus.Waiting => "waiting",
        JobStatus.Queued => "queued",
        JobStatus.Dispatched => "dispatched",
        JobStatus.Provisioning => "provisioning",
        JobStatus.Succeeded => "succeeded",
        JobStatus.Failed => "failed",
        JobStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a job status"),
    };

    public static string Of(JobActor actor) => actor switch
    {
        JobActor.Stripe => "stripe",
        JobActor.Github => "github",
        JobActor.Operator => "operator",
        JobActor.System => "system",
        _ => throw new ArgumentOutOfRangeException(nameof(actor), actor, "not a job actor"),
    };
}
