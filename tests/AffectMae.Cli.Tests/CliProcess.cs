// The CLI as a child process: `dotnet AffectMae.Cli.dll <args>` from this test project's output, with its output
// collected, for what only separate processes can show (signals, several processes on one cache).
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace AffectMae.Cli.Tests;

internal sealed partial class CliProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private CliProcess(Process process) => this.process = process;

    public int Id => process.Id;

    /// <summary>Everything written to stdout and stderr so far, whitespace runs (line wraps included) folded to one space.</summary>
    public string Output
    {
        get { lock (output) return WhiteSpace().Replace(output.ToString(), " "); }
    }

    /// <summary>
    /// Starts the CLI. SIGINT goes back to its default disposition in the child (GNU env --default-signal): a shell
    /// without job control starts background jobs with SIGINT ignored, and a child would inherit that.
    /// </summary>
    public static CliProcess Start(params string[] args)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "AffectMae.Cli.dll");
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["--default-signal=INT", DotNet, cli, .. args]) start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";   // plain text: no colour or style codes inside the messages
        start.Environment["TERM"] = "dumb";
        var child = new CliProcess(new Process { StartInfo = start });
        child.process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child.process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child.process.Start();
        child.process.BeginOutputReadLine();
        child.process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Sends a signal with kill(1), e.g. "INT" or "KILL".</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + name, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        kill.ExitCode.Should().Be(0, $"kill -{name} {process.Id} must reach the process");
    }

    /// <summary>The exit code; fails the test (killing the process) when it runs longer than <paramref name="limit"/>.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The CLI ran longer than {limit.TotalSeconds} s; its output: {Output}");
        }
        process.WaitForExit();   // the output streams are read to their end
        return process.ExitCode;
    }

    /// <summary>Runs the CLI to its end (failing the test after <paramref name="limit"/>) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(TimeSpan limit, params string[] args)
    {
        using var child = Start(args);
        int exitCode = child.ExitCodeAsync(limit).GetAwaiter().GetResult();
        return (exitCode, child.Output);
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    // The dotnet host running these tests, which runs the CLI's dll too.
    private static string DotNet =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
