using Provisioning.Tests.Infrastructure;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Provisioning.UnitTests.Security;

/// <summary>The compose deployment runs the cluster's Orleans ports with mutual TLS, from certificates mounted read-only.</summary>
public sealed class ComposeTlsTests
{
    [Theory]
    [InlineData("silo", "/certs/silo.pem")]
    [InlineData("gateway", "/certs/gateway.pem")]
    public void ComposeFile_Service_RequiresMutualTls(string service, string certificate)
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, "docker-compose.yml"));
        var compose = new DeserializerBuilder().Build()
            .Deserialize<Dictionary<string, object>>(new MergingParser(new Parser(new StringReader(text))));
        var services = (Dictionary<object, object>)compose["services"];
        var definition = (Dictionary<object, object>)services[service];
        var environment = ((Dictionary<object, object>)definition["environment"]).ToDictionary(e => (string)e.Key, e => e.Value as string);

        Assert.Equal("Mutual", environment["Orleans__Tls__Mode"]);
        Assert.Equal(certificate, environment["Orleans__Tls__CertificatePath"]);
        Assert.Equal("/certs/ca.pem", environment["Orleans__Tls__AuthorityPath"]);
        Assert.Equal("CN=provisioning-silo", environment["Orleans__Tls__PeerSubjects__0"]);
        var volume = Assert.Single(((List<object>)definition["volumes"]).Cast<Dictionary<object, object>>());
        Assert.Equal("/certs", volume["target"]);
        Assert.Equal("true", volume["read_only"]);
    }
}
