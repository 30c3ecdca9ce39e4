namespace Provisioning.Grains;

/// <summary>The grain storage every grain of this product persists to (ADO.NET on PostgreSQL in the silo).</summary>
public static class ProvisioningStorage
{
    public const string Name = "provisioning";
}
