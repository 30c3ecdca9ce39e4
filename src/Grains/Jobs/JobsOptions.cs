namespace Provisioning.Grains.Jobs;

/// <summary>Rules for the jobs that paid checkouts create. Bound from the <c>Jobs</c> section.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary><c>Jobs:Regions</c>: the regions a checkout's <c>metadata.region</c> may name. Default: us-east, us-west, eu-west.</summary>
    public string[] Regions { get; set; } = [];

    /// <summary><c>Jobs:DefaultRegion</c>: the region of a checkout that names none. Default <c>us-east</c>.</summary>
    public string DefaultRegion { get; set; } = "us-east";

    /// <summary><c>Jobs:MaxAttempts</c>: attempts (dispatches of the workflow) a job gets before a failure is final. Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary><c>Jobs:ClaimTimeout</c>: a dispatched attempt not claimed by its run within this time is stalled. Default 15 min (runners can queue).</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary><c>Jobs:HeartbeatTimeout</c>: a provisioning attempt without a heartbeat for this long is stalled. Default 5 min.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromMinutes(5);

    internal static readonly string[] DefaultRegions = ["us-east", "us-west", "eu-west"];
}
