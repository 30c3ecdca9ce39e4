using Provisioning.Cli;

// provisioning: the command line of operators and workflow authors. Commands and exit codes: docs/cli.md.
return await CliApplication.RunAsync(args);
