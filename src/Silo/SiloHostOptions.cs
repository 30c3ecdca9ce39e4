using System.Net;

namespace Provisioning.Silo;

/// <summary>Where this silo listens and which cluster it joins. Bound from the <c>Orleans</c> section.</summary>
public sealed class SiloHostOptions
{
    public const string Section = "Orleans";

    /// <summary><c>Orleans:ClusterId</c>: silos and clients with the same id form one cluster. Default <c>provisioning</c>.</summary>
    public string ClusterId { get; set; } = "provisioning";

    /// <summary><c>Orleans:ServiceId</c>: stays the same across deployments; grain state and reminders are keyed by it. Default <c>provisioning</c>.</summary>
    public string ServiceId { get; set; } = "provisioning";

    /// <summary><c>Orleans:SiloPort</c>: silo-to-silo port. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary><c>Orleans:GatewayPort</c>: the port clients (the gateway) connect to. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary><c>Orleans:AdvertisedIPAddress</c>: the address other silos and clients reach this silo on. Default 127.0.0.1.</summary>
    public string AdvertisedIPAddress { get; set; } = "127.0.0.1";

    /// <summary><c>Orleans:SiloName</c>: a readable name in the membership table. Default: machine name and silo port.</summary>
    public string? SiloName { get; set; }

    internal IPAddress AdvertisedAddress => IPAddress.Parse(AdvertisedIPAddress);
}
