using AffectMae.Metrics;

namespace AffectMae.Models.Data;

/// <summary>
/// One video's per-frame features ([frames, D], row-major) and its per-frame labels for the temporal model. A task
/// without annotations for this video is passed as <see langword="null"/> and reads as unlabelled everywhere.
/// </summary>
/// <remarks>The arrays are used as given, not copied; do not change them while a dataset uses them.</remarks>
public sealed class VideoFeatures
{
    private readonly float[] features;
    private readonly float[]? valenceArousal;
    private readonly int[]? expression;
    private readonly int[]? actionUnits;

    /// <summary>Creates the record and checks that every array has one row a frame.</summary>
    /// <param name="name">The video's name (e.g. Aff-Wild2's <c>video1</c>); used in messages and batches.</param>
    /// <param name="features">[frames, <paramref name="featureDim"/>] features, row-major.</param>
    /// <param name="featureDim">D, the feature size of a frame.</param>
    /// <param name="valenceArousal">[frames, 2] (valence, arousal) in [−1, 1], −5 where unlabelled; or null.</param>
    /// <param name="expression">[frames] classes 0 … 7, −1 where unlabelled; or null.</param>
    /// <param name="actionUnits">[frames, 12] values 0 or 1, −1 where unlabelled; or null.</param>
    /// <exception cref="ArgumentException">
    /// A length does not match the frame count, there are no frames, or a feature or valence/arousal value is NaN or
    /// ±∞; the message names the video, the frame (1-based, as in <c>{frame:D5}.jpg</c>) and the value.
    /// </exception>
    public VideoFeatures(string name, float[] features, int featureDim,
        float[]? valenceArousal = null, int[]? expression = null, int[]? actionUnits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureDim);
        if (features.Length == 0 || features.Length % featureDim != 0)
            throw new ArgumentException($"Video '{name}': {features.Length} feature values are not a positive whole number of {featureDim}-wide rows.", nameof(features));
        int frames = features.Length / featureDim;
        void Check(Array? labels, int perFrame, string what, string parameter)
        {
            if (labels is not null && labels.Length != (long)frames * perFrame)
                throw new ArgumentException($"Video '{name}' has {frames} frames, so {what} needs {(long)frames * perFrame} values; it has {labels.Length}.", parameter);
        }
        Check(valenceArousal, 2, "valence/arousal ([frames, 2])", nameof(valenceArousal));
        Check(expression, 1, "expression ([frames])", nameof(expression));
        Check(actionUnits, AffectLabels.ActionUnitCount, "action units ([frames, 12])", nameof(actionUnits));
        int bad = FiniteValues.IndexOfNonFinite(features);
        if (bad >= 0)
            throw new ArgumentException($"Video '{name}': feature {bad % featureDim} of frame {bad / featureDim + 1} is {features[bad]}; "
                + "the temporal model needs finite features. Extract the video's features again, or leave the frame out.", nameof(features));
        bad = valenceArousal is null ? -1 : FiniteValues.IndexOfNonFinite(valenceArousal);
        if (bad >= 0)
            throw new ArgumentException($"Video '{name}': the {(bad % 2 == 0 ? "valence" : "arousal")} of frame {bad / 2 + 1} is {valenceArousal![bad]}; "
                + $"use {AffectLabels.UnlabelledValenceArousal} for an unlabelled frame.", nameof(valenceArousal));
        (Name, FeatureDim, FrameCount) = (name, featureDim, frames);
        (this.features, this.valenceArousal, this.expression, this.actionUnits) = (features, valenceArousal, expression, actionUnits);
    }

    /// <summary>The video's name.</summary>
    public string Name { get; }

    /// <summary>Number of frames n.</summary>
    public int FrameCount { get; }

    /// <summary>Feature size D of a frame.</summary>
    public int FeatureDim { get; }

    /// <summary>[frames, D] features, row-major.</summary>
    public ReadOnlySpan<float> Features => features;

    /// <summary>[frames, 2] valence/arousal, or empty when the video has none.</summary>
    public ReadOnlySpan<float> ValenceArousal => valenceArousal;

    /// <summary>[frames] expression classes, or empty when the video has none.</summary>
    public ReadOnlySpan<int> Expression => expression;

    /// <summary>[frames, 12] action units, or empty when the video has none.</summary>
    public ReadOnlySpan<int> ActionUnits => actionUnits;
}
