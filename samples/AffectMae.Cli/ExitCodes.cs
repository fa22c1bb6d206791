// Process exit codes of the AffectMae command line, shared by every verb.
namespace AffectMae.Cli;

/// <summary>The exit codes of <c>AffectMae.Cli</c>.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The command line is wrong: unknown or missing option, or an option value out of range.</summary>
    public const int UsageError = 1;

    /// <summary>The output path is a file or a non-empty folder and <c>--force</c> was not given.</summary>
    public const int OutputInUse = 2;

    /// <summary>The command started but failed, e.g. an I/O error; the message says what happened.</summary>
    public const int Failure = 3;

    /// <summary>The command was cancelled (Ctrl+C); 128 + SIGINT, as shells report it.</summary>
    public const int Cancelled = 130;
}
