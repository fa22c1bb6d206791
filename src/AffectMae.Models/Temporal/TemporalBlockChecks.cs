namespace AffectMae.Models.Temporal;

/// <summary>The checks both TCN option validators make of their per-block lists.</summary>
internal static class TemporalBlockChecks
{
    /// <summary>
    /// Adds the failures of a TCN's per-block lists: <paramref name="channels"/> non-empty and positive, and
    /// <paramref name="dilations"/> (when given) one positive entry per block.
    /// </summary>
    /// <param name="failures">Where the messages go.</param>
    /// <param name="options">The options class named in the messages, e.g. <c>TemporalConvNetOptions</c>.</param>
    /// <param name="channels">Output channels per block.</param>
    /// <param name="dilations">Dilations per block, or null for the default.</param>
    /// <param name="example">A channel list to suggest, e.g. <c>[512, 512]</c>.</param>
    public static void AddBlockFailures(List<string> failures, string options, IReadOnlyList<int>? channels, IReadOnlyList<int>? dilations, string example)
    {
        if (channels is null || channels.Count == 0)
            failures.Add($"{options}.Channels is empty: give one output channel count per temporal block, e.g. {example}.");
        else if (channels.Any(c => c <= 0))
            failures.Add($"{options}.Channels [{string.Join(", ", channels)}] holds a count below 1: every block needs at least 1 output channel.");
        if (dilations is null || channels is null)
            return;
        if (dilations.Count != channels.Count)
            failures.Add($"{options}.Dilations has {dilations.Count} entries but Channels has {channels.Count}: give one dilation per block, or leave Dilations null for 1, 2, 4, ….");
        if (dilations.Any(d => d <= 0))
            failures.Add($"{options}.Dilations [{string.Join(", ", dilations)}] holds a value below 1: every dilation must be at least 1.");
    }
}
