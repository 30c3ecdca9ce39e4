using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Faults;

/// <summary>A silo with a missing or malformed setting stops at once and names the key to fix.</summary>
public sealed class SiloConfigurationTests
{
    [Fact]
    public async Task Silo_WithoutConnectionString_ExitsNonZeroNamingTheKey()
    {
        await using var silo = HostProcess.Start("Silo", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Provisioning"] = null,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}",
        });

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("ConnectionStrings:Provisioning", silo.Output);
    }

    [Fact]
    public async Task Silo_WithMalformedPort_ExitsNonZeroNamingTheKey()
    {
        await using var silo = HostProcess.Start("Silo", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Provisioning"] = "Host=127.0.0.1;Port=1;Username=postgres",
            ["Orleans__SiloPort"] = "70000",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}",
        });

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Orleans:SiloPort", silo.Output);
    }
}
