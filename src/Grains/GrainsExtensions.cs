using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Provisioning.Grains;

public static class GrainsExtensions
{
    /// <summary>Registers what the grains of this product need besides Orleans itself.</summary>
    public static ISiloBuilder AddProvisioningGrains(this ISiloBuilder silo)
    {
        silo.Services.TryAddSingleton(TimeProvider.System);
        return silo;
    }
}
