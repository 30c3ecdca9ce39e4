extern alias gateway;

using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provisioning.Silo;
using Provisioning.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;
using static Provisioning.Tests.Deployment.ContainerSettings;
using GatewayExtensions = gateway::Provisioning.Gateway.GatewayExtensions;

namespace Provisioning.Tests.Deployment;

/// <summary>
/// deploy/k8s checked offline: kustomize renders it, every object validates against the Kubernetes schemas, the hosts'
/// own start-time validation accepts the settings the manifests give them, and secret settings come from the Secret.
/// </summary>
public sealed partial class KubernetesDeploymentTests
{
    // Values for the Secret's keys: the manifests hold only placeholders, a deployment supplies the real ones.
    private static readonly Dictionary<string, string> SecretValues = new()
    {
        ["connection-string"] = "Host=postgres.provisioning.svc;Port=5432;Database=provisioning;Username=provisioning;Password=k8s-test",
        ["stripe-webhook-secret"] = TestSecrets.StripeWebhookSecret,
        ["callback-secret"] = TestSecrets.CallbackSecret,
        ["github-token"] = TestSecrets.GitHubToken,
        ["github-webhook-secret"] = TestSecrets.GitHubWebhookSecret,
        ["operator-key-admin"] = TestSecrets.OperatorKey,
    };

    private static readonly Dictionary<string, string> PodFields = new()
    {
        ["status.podIP"] = "10.244.1.7",
        ["metadata.name"] = "provisioning-silo-7d9f8-x2x4q",
    };

    [Fact]
    public async Task Base_RendersAndValidatesAgainstTheKubernetesSchemas()
    {
        var rendered = await KubernetesManifests.RenderAsync(KubernetesManifests.Directory);

        var (exitCode, output) = await KubernetesManifests.LintAsync(rendered);

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"OK: \d+ objects valid", output);
        var kinds = KubernetesManifests.Parse(rendered).Select(o => Scalar(o, "kind")).ToHashSet();
        foreach (var kind in new[] { "Namespace", "ConfigMap", "Secret", "Job", "Deployment", "PodDisruptionBudget", "Service", "NetworkPolicy" })
        {
            Assert.Contains(kind, kinds);
        }
    }

    [Theory]
    [InlineData("base/silo.yaml", "replicas: 3", "replicas: three")]
    [InlineData("base/gateway.yaml", "containerPort: 8080", "containerPort: http")]
    [InlineData("base/network-policy.yaml", "protocol: TCP", "protocol: TCPX")]
    public async Task Base_WithAnInvalidField_IsRejectedByTheSchemaCheck(string file, string original, string broken)
    {
        var copy = KubernetesManifests.CopyToTemporaryDirectory();
        try
        {
            var path = System.IO.Path.Combine(copy, file);
            var text = await File.ReadAllTextAsync(path);
            Assert.Contains(original, text);
            await File.WriteAllTextAsync(path, text.Replace(original, broken));

            var (exitCode, output) = await KubernetesManifests.LintAsync(await KubernetesManifests.RenderAsync(copy));

            Assert.True(exitCode == 1, output);
            Assert.Contains("error", output);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task ExampleOverlay_WithASecretsFile_RendersValidObjectsWithItsImagesAndSecret()
    {
        var copy = KubernetesManifests.CopyToTemporaryDirectory();
        try
        {
            var overlay = System.IO.Path.Combine(copy, "overlays", "example");
            Assert.False(File.Exists(System.IO.Path.Combine(KubernetesManifests.Directory, "overlays", "example", "secrets.env")),
                "secrets.env holds real secrets and must never be in the repository");
            await File.WriteAllLinesAsync(System.IO.Path.Combine(overlay, "secrets.env"), SecretValues.Select(p => $"{p.Key}={p.Value}"));

            var rendered = await KubernetesManifests.RenderAsync(overlay);
            var (exitCode, output) = await KubernetesManifests.LintAsync(rendered);

            Assert.True(exitCode == 0, output);
            var objects = KubernetesManifests.Parse(rendered);
            var silo = DeploymentNamed(objects, "provisioning-silo");
            var images = Sequence(Path(silo, "spec", "template", "spec", "containers"))
                .Concat(Sequence(Path(silo, "spec", "template", "spec", "initContainers")))
                .Select(c => Scalar(c, "image"));
            Assert.All(images, image => Assert.StartsWith("registry.example.com/", image));
            var secret = ObjectNamed(objects, "Secret", "provisioning-secrets");
            Assert.Equal(SecretValues.Keys.Order(), SecretKeys(secret).Order());
            Assert.Contains(objects, o => Scalar(o, "kind") == "Ingress");
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Theory]
    [InlineData("provisioning-silo", "silo")]
    [InlineData("provisioning-gateway", "gateway")]
    public async Task Host_ValidatesAtStart_WithTheSettingsTheManifestsGiveIt(string deployment, string container)
    {
        var objects = KubernetesManifests.Parse(await KubernetesManifests.RenderAsync(KubernetesManifests.Directory));
        var settings = ContainerSettings.Read(objects, deployment, container);

        var failure = ValidateHost(container, Configuration(settings));

        Assert.True(failure is null, $"{deployment}: the host refuses the settings the manifests give it: {failure}");
    }

    [Theory]
    [InlineData("provisioning-silo", "silo", "GitHub__Token", "GitHub:Token")]
    [InlineData("provisioning-silo", "silo", "ConnectionStrings__Provisioning", "ConnectionStrings:Provisioning")]
    [InlineData("provisioning-gateway", "gateway", "Stripe__WebhookSecrets__0", "Stripe")]
    [InlineData("provisioning-gateway", "gateway", "Callbacks__Secrets__0", "Callbacks")]
    public async Task Host_WithoutARequiredSetting_IsRefusedAtStart(string deployment, string container, string variable, string named)
    {
        var objects = KubernetesManifests.Parse(await KubernetesManifests.RenderAsync(KubernetesManifests.Directory));
        var settings = ContainerSettings.Read(objects, deployment, container).Where(s => s.Variable != variable).ToList();

        var failure = ValidateHost(container, Configuration(settings));

        Assert.NotNull(failure);
        Assert.Contains(named, failure);
    }

    [Theory]
    [InlineData("provisioning-silo", "silo")]
    [InlineData("provisioning-silo", "migrate")]
    [InlineData("provisioning-gateway", "gateway")]
    public async Task SecretSettings_ComeFromTheSecret(string deployment, string container)
    {
        var objects = KubernetesManifests.Parse(await KubernetesManifests.RenderAsync(KubernetesManifests.Directory));
        var settings = container == "migrate"
            ? ReadInitContainer(objects, deployment, container)
            : ContainerSettings.Read(objects, deployment, container);

        var secretSettings = settings.Where(s => SecretName().IsMatch(s.ConfigurationKey)).ToList();

        Assert.NotEmpty(secretSettings);
        Assert.All(secretSettings, s => Assert.True(s.Source == SettingSource.Secret, $"{deployment}/{container}: {s.Variable} is a secret but comes from {s.Source}"));
        Assert.DoesNotContain(Pairs(ObjectNamed(objects, "ConfigMap", "provisioning-settings"), "data").Keys,
            key => SecretName().IsMatch(key.Replace("__", ":", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Silos_AreThreeReplicasThatAdvertiseThePodIpAndOutliveTheirGracefulShutdown()
    {
        var objects = KubernetesManifests.Parse(await KubernetesManifests.RenderAsync(KubernetesManifests.Directory));
        var silo = DeploymentNamed(objects, "provisioning-silo");
        var pod = (YamlMappingNode)Path(silo, "spec", "template", "spec")!;
        var settings = ContainerSettings.Read(objects, "provisioning-silo", "silo");

        Assert.Equal("3", Scalar(Child(silo, "spec")!, "replicas"));
        Assert.Equal("status.podIP", settings.Single(s => s.Variable == "Orleans__AdvertisedIPAddress").Value);
        Assert.True(int.Parse(Scalar(pod, "terminationGracePeriodSeconds")!) > 30, "longer than the silo's 30 s graceful shutdown");
        var container = Sequence(Path(pod, "containers")).Single();
        Assert.Equal("/healthz", Scalar((YamlMappingNode)Path(container, "readinessProbe", "httpGet")!, "path"));
        Assert.Equal("/healthz", Scalar((YamlMappingNode)Path(container, "livenessProbe", "httpGet")!, "path"));
        Assert.NotNull(Path(container, "resources", "requests", "memory"));
        Assert.NotNull(Path(container, "resources", "limits", "memory"));
        Assert.Equal("migrate", Scalar(Sequence(Path(pod, "initContainers")).Single(), "name"));

        var budget = ObjectNamed(objects, "PodDisruptionBudget", "provisioning-silo");
        Assert.Equal("silo", Scalar((YamlMappingNode)Path(budget, "spec", "selector", "matchLabels")!, "app.kubernetes.io/component"));
        var gateway = Sequence(Path(DeploymentNamed(objects, "provisioning-gateway"), "spec", "template", "spec", "containers")).Single();
        Assert.Equal("/readyz", Scalar((YamlMappingNode)Path(gateway, "readinessProbe", "httpGet")!, "path"));
    }

    [Fact]
    public async Task NetworkPolicy_LetsOnlySilosAndTheGatewayReachTheSiloPorts()
    {
        var objects = KubernetesManifests.Parse(await KubernetesManifests.RenderAsync(KubernetesManifests.Directory));
        var policy = ObjectNamed(objects, "NetworkPolicy", "provisioning-silo");

        var rules = Sequence(Path(policy, "spec", "ingress")).ToList();
        string[] AllowedFor(string port) =>
        [
            .. rules.Where(r => Sequence(Path(r, "ports")).Any(p => Scalar(p, "port") == port))
                .SelectMany(r => Sequence(Path(r, "from")))
                .Select(f => Path(f, "podSelector", "matchLabels") is YamlMappingNode labels ? Scalar(labels, "app.kubernetes.io/component") ?? "*" : "*"),
        ];

        Assert.Equal(["silo"], AllowedFor("11111"));
        Assert.Equal(["gateway", "silo"], AllowedFor("30000").Order());
    }

    private static IReadOnlyList<ContainerSetting> ReadInitContainer(IReadOnlyList<YamlMappingNode> objects, string deployment, string container)
    {
        var node = Sequence(Path(DeploymentNamed(objects, deployment), "spec", "template", "spec", "initContainers")).Single(c => Scalar(c, "name") == container);
        return
        [
            .. Sequence(Path(node, "env")).Select(env => Child(env, "valueFrom") is { } from && Child(from, "secretKeyRef") is { } secretRef
                ? new ContainerSetting(Scalar(env, "name")!, null, SettingSource.Secret, Scalar(secretRef, "key"))
                : new ContainerSetting(Scalar(env, "name")!, Scalar(env, "value"), SettingSource.Literal, null)),
        ];
    }

    private static Dictionary<string, string?> Configuration(IEnumerable<ContainerSetting> settings) =>
        settings.ToDictionary(
            s => s.ConfigurationKey,
            s => s.Source switch
            {
                SettingSource.Secret => SecretValues.TryGetValue(s.SecretKey!, out var value)
                    ? value
                    : throw new Xunit.Sdk.XunitException($"the Secret key {s.SecretKey} has no test value: add one to {nameof(SecretValues)}"),
                SettingSource.PodField => PodFields[s.Value!],
                _ => s.Value,
            });

    /// <summary>Builds the real host with exactly these settings and runs its start-time validation; the failure, or null.</summary>
    private static string? ValidateHost(string host, Dictionary<string, string?> configuration)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = System.IO.Path.GetTempPath() });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(configuration);
        if (host == "silo")
        {
            builder.AddProvisioningSilo();
        }
        else
        {
            GatewayExtensions.AddProvisioningGateway(builder);
        }

        using var app = builder.Build();
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return ex.Message;
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            return string.Join("; ", ex.InnerExceptions.Select(e => e.Message));
        }
    }

    [GeneratedRegex("Secret|Token|Password|OperatorKeys|^ConnectionStrings:", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
