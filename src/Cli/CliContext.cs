using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Cli.Gateway;
using Provisioning.Cli.Output;
using Provisioning.Cli.Settings;

namespace Provisioning.Cli;

/// <summary>What a command runs with: its output, the local settings, the gateway's address and a client for it.</summary>
public sealed class CliContext(ParseResult parse, CliOutput output) : IDisposable
{
    private readonly ServiceProvider _services = CliHttp.Create();
    private LocalSettings? _settings;
    private GatewayClient? _client;

    public CliOutput Output { get; } = output;

    public ParseResult Parse { get; } = parse;

    public LocalSettings Settings => _settings ??= LocalSettings.Load(Parse.GetValue(GlobalOptions.EnvFile));

    public Uri GatewayUrl { get; } = GatewayAddress.Resolve(parse.GetValue(GlobalOptions.Gateway));

    /// <summary>A client that sends the operator key when one is known (<paramref name="operatorKeyOption"/> first).</summary>
    public GatewayClient Client(string? operatorKeyOption = null) =>
        _client ??= new GatewayClient(HttpClient(GatewayClient.HttpClientName), GatewayUrl, Secrets.OperatorKey(Settings, operatorKeyOption));

    /// <summary>A client that must send an operator key: a usage error when none is set anywhere.</summary>
    public GatewayClient OperatorClient(string? operatorKeyOption) =>
        _client ??= new GatewayClient(HttpClient(GatewayClient.HttpClientName), GatewayUrl, Secrets.RequiredOperatorKey(Settings, operatorKeyOption));

    /// <summary>The named client configured in <see cref="CliHttp"/>.</summary>
    public HttpClient HttpClient(string name) => _services.GetRequiredService<IHttpClientFactory>().CreateClient(name);

    public void Dispose() => _services.Dispose();
}
