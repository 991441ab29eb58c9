using PolicyGate.Cli;

return await PolicyGateCli.RunAsync(args);
