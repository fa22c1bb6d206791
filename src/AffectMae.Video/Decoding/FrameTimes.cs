namespace AffectMae.Video.Decoding;

/// <summary>Gathers the timestamps of a stream: first, last, shortest and longest gap, and whether the rate varies.</summary>
internal sealed class FrameTimes(double? framesPerSecond)
{
    /// <summary>Gaps that differ from the nominal interval by more than this fraction make a variable frame rate.</summary>
    public const double VariableRateTolerance = 0.10;

    private TimeSpan? previous;

    public TimeSpan? First { get; private set; }
    public TimeSpan? Last => previous;
    public TimeSpan? MinInterval { get; private set; }
    public TimeSpan? MaxInterval { get; private set; }

    public void Add(TimeSpan timestamp)
    {
        First ??= timestamp;
        if (previous is { } p)
        {
            var gap = timestamp - p;
            if (MinInterval is null || gap < MinInterval) MinInterval = gap;
            if (MaxInterval is null || gap > MaxInterval) MaxInterval = gap;
        }
        previous = timestamp;
    }

    /// <summary>Whether some gap is more than 10 % away from 1 / rate (or, without a rate, from the shortest gap).</summary>
    public bool VariableFrameRate
    {
        get
        {
            if (MinInterval is not { } min || MaxInterval is not { } max)
                return false;
            double nominal = framesPerSecond is > 0 and var fps ? 1.0 / fps : min.TotalSeconds;
            double tolerance = VariableRateTolerance * nominal;
            return Math.Abs(min.TotalSeconds - nominal) > tolerance || Math.Abs(max.TotalSeconds - nominal) > tolerance;
        }
    }
}
