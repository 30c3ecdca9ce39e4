namespace Provisioning.Grains.Jobs;

/// <summary>Rules for the jobs that paid checkouts create. Bound from the <c>Jobs</c> section.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary><c>Jobs:Regions</c>: the regions a checkout's <c>metadata.region</c> may name. Default: us-east, us-west, eu-west.</summary>
    public string[] Regions { get; set; } = [];

    /// <summary><c>Jobs:DefaultRegion</c>: the region of a checkout that names none. Default <c>us-east</c>.</summary>
    public string DefaultRegion { get; set; } = "us-east";

    internal static readonly string[] DefaultRegions = ["us-east", "us-west", "eu-west"];
}
