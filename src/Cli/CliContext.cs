using System.CommandLine;
using Provisioning.Cli.Gateway;
using Provisioning.Cli.Output;
using Provisioning.Cli.Settings;

namespace Provisioning.Cli;

/// <summary>What a command runs with: its output, the local settings, the gateway's address and a client for it.</summary>
public sealed class CliContext(ParseResult parse, CliOutput output) : IDisposable
{
    private LocalSettings? _settings;
    private GatewayClient? _client;

    public CliOutput Output { get; } = output;

    public ParseResult Parse { get; } = parse;

    public LocalSettings Settings => _settings ??= LocalSettings.Load(Parse.GetValue(GlobalOptions.EnvFile));

    public Uri GatewayUrl { get; } = GatewayAddress.Resolve(parse.GetValue(GlobalOptions.Gateway));

    /// <summary>A client that sends the operator key when one is known (<paramref name="operatorKeyOption"/> first).</summary>
    public GatewayClient Client(string? operatorKeyOption = null) =>
        _client ??= new GatewayClient(GatewayUrl, Secrets.OperatorKey(Settings, operatorKeyOption));

    /// <summary>A client that must send an operator key: a usage error when none is set anywhere.</summary>
    public GatewayClient OperatorClient(string? operatorKeyOption) =>
        _client ??= new GatewayClient(GatewayUrl, Secrets.RequiredOperatorKey(Settings, operatorKeyOption));

    public void Dispose() => _client?.Dispose();
}
