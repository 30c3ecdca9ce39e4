using YamlDotNet.RepresentationModel;

namespace Provisioning.Tests.Deployment;

/// <summary>Where a container's environment variable gets its value.</summary>
public enum SettingSource
{
    Literal,
    ConfigMap,
    Secret,
    PodField,
}

/// <summary>One environment variable of a container; for a Secret, <see cref="SecretKey"/> names the key it reads.</summary>
public sealed record ContainerSetting(string Variable, string? Value, SettingSource Source, string? SecretKey)
{
    /// <summary>The configuration key the host reads it as (<c>Section__Key</c> is <c>Section:Key</c>).</summary>
    public string ConfigurationKey => Variable.Replace("__", ":", StringComparison.Ordinal);
}

/// <summary>The environment a container of a rendered Deployment gets: its env entries and what envFrom brings in.</summary>
public static class ContainerSettings
{
    public static IReadOnlyList<ContainerSetting> Read(IReadOnlyList<YamlMappingNode> objects, string deployment, string container)
    {
        var spec = DeploymentNamed(objects, deployment);
        var containerNode = Sequence(Path(spec, "spec", "template", "spec", "containers"))
            .Single(c => Scalar(c, "name") == container);

        var settings = new List<ContainerSetting>();
        foreach (var from in Sequence(Path(containerNode, "envFrom")))
        {
            if (Child(from, "configMapRef") is { } configMapRef)
            {
                var data = ObjectNamed(objects, "ConfigMap", Scalar(configMapRef, "name")!);
                settings.AddRange(Pairs(data, "data").Select(p => new ContainerSetting(p.Key, p.Value, SettingSource.ConfigMap, null)));
            }
            else if (Child(from, "secretRef") is { } secretRef)
            {
                var secret = ObjectNamed(objects, "Secret", Scalar(secretRef, "name")!);
                settings.AddRange(SecretKeys(secret).Select(k => new ContainerSetting(k, null, SettingSource.Secret, k)));
            }
        }

        foreach (var env in Sequence(Path(containerNode, "env")))
        {
            var name = Scalar(env, "name")!;
            settings.RemoveAll(s => s.Variable == name);
            if (Child(env, "valueFrom") is not { } valueFrom)
            {
                settings.Add(new ContainerSetting(name, Scalar(env, "value") ?? "", SettingSource.Literal, null));
            }
            else if (Child(valueFrom, "secretKeyRef") is { } secretRef)
            {
                var secret = ObjectNamed(objects, "Secret", Scalar(secretRef, "name")!);
                var key = Scalar(secretRef, "key")!;
                Assert.True(SecretKeys(secret).Contains(key), $"{deployment}/{container}: {name} reads key {key}, which the Secret does not have");
                settings.Add(new ContainerSetting(name, null, SettingSource.Secret, key));
            }
            else if (Child(valueFrom, "configMapKeyRef") is { } configRef)
            {
                var data = Pairs(ObjectNamed(objects, "ConfigMap", Scalar(configRef, "name")!), "data");
                settings.Add(new ContainerSetting(name, data[Scalar(configRef, "key")!], SettingSource.ConfigMap, null));
            }
            else if (Child(valueFrom, "fieldRef") is { } fieldRef)
            {
                settings.Add(new ContainerSetting(name, Scalar(fieldRef, "fieldPath"), SettingSource.PodField, null));
            }
        }

        return settings;
    }

    public static YamlMappingNode DeploymentNamed(IReadOnlyList<YamlMappingNode> objects, string name) => ObjectNamed(objects, "Deployment", name);

    public static YamlMappingNode ObjectNamed(IReadOnlyList<YamlMappingNode> objects, string kind, string name) =>
        objects.SingleOrDefault(o => Scalar(o, "kind") == kind && Scalar(Child(o, "metadata")!, "name") == name)
        ?? throw new Xunit.Sdk.XunitException($"the rendered manifests have no {kind} named {name}");

    public static IReadOnlyList<string> SecretKeys(YamlMappingNode secret) =>
        [.. Pairs(secret, "stringData").Keys.Concat(Pairs(secret, "data").Keys).Distinct()];

    public static Dictionary<string, string> Pairs(YamlMappingNode node, string key) =>
        Child(node, key) is { } map
            ? map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value ?? "")
            : [];

    public static YamlMappingNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var child) ? child as YamlMappingNode : null;

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var child) ? (child as YamlScalarNode)?.Value : null;

    public static YamlNode? Path(YamlMappingNode node, params string[] keys)
    {
        YamlNode? current = node;
        foreach (var key in keys)
        {
            current = current is YamlMappingNode map && map.Children.TryGetValue(key, out var next) ? next : null;
        }

        return current;
    }

    public static IEnumerable<YamlMappingNode> Sequence(YamlNode? node) =>
        node is YamlSequenceNode sequence ? sequence.Children.OfType<YamlMappingNode>() : [];
}
