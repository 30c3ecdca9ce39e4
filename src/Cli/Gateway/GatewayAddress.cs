namespace Provisioning.Cli.Gateway;

/// <summary>The gateway's base address: <c>--gateway</c>, else <c>PROVISIONING_GATEWAY</c>, else where <c>./run.sh</c> serves it.</summary>
public static class GatewayAddress
{
    public const string Variable = "PROVISIONING_GATEWAY";

    public const string Default = "http://127.0.0.1:5080";

    public static Uri Resolve(string? option)
    {
        var (text, source) = !string.IsNullOrWhiteSpace(option) ? (option.Trim(), "--gateway")
            : Environment.GetEnvironmentVariable(Variable) is { } variable && !string.IsNullOrWhiteSpace(variable) ? (variable.Trim(), Variable)
            : (Default, "the default");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw CliException.Usage($"{source}: '{text}' is not an http(s) address such as {Default}");
        }

        // A base address with a path must end with '/' for relative paths to land under it.
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }
}
