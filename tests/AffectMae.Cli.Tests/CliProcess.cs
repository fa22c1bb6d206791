// Runs the command line as its own process, the way a user (or a cluster job) does.
using System.Diagnostics;

namespace AffectMae.Cli.Tests;

internal static class CliProcess
{
    /// <summary>The CLI's dll, built next to the tests (the test project references the CLI project).</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "AffectMae.Cli.dll");

    /// <summary>Starts <c>dotnet AffectMae.Cli.dll args</c> with its output captured; the caller waits for it.</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    /// <summary>Runs the CLI to the end (at most <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(TimeSpan timeout, params string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The CLI did not finish within {timeout}: {string.Join(' ', args)}");
        }
        return (process.ExitCode, output.Result + errors.Result);
    }
}
