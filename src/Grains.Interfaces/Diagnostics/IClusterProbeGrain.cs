namespace Provisioning.Diagnostics;

/// <summary>A stateless grain that answers from whichever silo activates it: proof that the cluster serves calls.</summary>
[Alias("Provisioning.Diagnostics.IClusterProbeGrain")]
public interface IClusterProbeGrain : IGrainWithIntegerKey
{
    [Alias("PingAsync")]
    Task<ProbeAnswer> PingAsync();
}
