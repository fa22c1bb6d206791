using Spectre.Console;

namespace AffectMae.Cli.Reporting;

/// <summary>Lines every verb prints the same way.</summary>
internal static class ConsoleLines
{
    /// <summary>"wrote &lt;file&gt;", the file in bold.</summary>
    public static void Wrote(IAnsiConsole console, string file) => console.MarkupLine($"wrote [bold]{Markup.Escape(file)}[/]");

    /// <summary>The first ten frame numbers, then "…" when there are more.</summary>
    public static string Abbreviated(IReadOnlyList<int> frames) => string.Join(", ", frames.Take(10)) + (frames.Count > 10 ? ", …" : "");
}
