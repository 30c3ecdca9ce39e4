using Orleans.Concurrency;
using Provisioning.Diagnostics;

namespace Provisioning.Grains.Diagnostics;

[StatelessWorker]
public sealed class ClusterProbeGrain(ILocalSiloDetails silo, TimeProvider time) : Grain, IClusterProbeGrain
{
    public Task<ProbeAnswer> PingAsync() =>
        Task.FromResult(new ProbeAnswer(silo.SiloAddress.ToString(), time.GetUtcNow()));
}
