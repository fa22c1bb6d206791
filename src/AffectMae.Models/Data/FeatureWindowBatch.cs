using AffectMae.Metrics;
using AffectMae.Core.Segmentation;
using static TorchSharp.torch;

namespace AffectMae.Models.Data;

/// <summary>Which video and which window a batch row holds, so predictions can be stitched back with <see cref="WindowStitcher"/>.</summary>
/// <param name="VideoIndex">Position of the video in the dataset's list.</param>
/// <param name="Video">The video's name.</param>
/// <param name="Window">The window (its <see cref="Window.Index"/> is the row of the video's segmentation).</param>
public readonly record struct WindowRef(int VideoIndex, string Video, Window Window);

/// <summary>
/// A batch of feature windows for the temporal model. Shapes use B rows and window length w. Padding positions hold
/// zero features, <c>valid = false</c> and unlabelled codes. The consumer owns the batch and disposes it; its tensors
/// belong to no dispose scope.
/// </summary>
public sealed class FeatureWindowBatch : IDisposable
{
    internal FeatureWindowBatch(Tensor x, Tensor valid, Tensor valenceArousal, Tensor expression, Tensor actionUnits, IReadOnlyList<WindowRef> windows)
    {
        (X, Valid, ValenceArousal, Expression, ActionUnits, Windows) = (x, valid, valenceArousal, expression, actionUnits, windows);
    }

    /// <summary>Frame features [B, w, D], float32.</summary>
    public Tensor X { get; }

    /// <summary>[B, w] bool, true for a real frame and false for padding.</summary>
    public Tensor Valid { get; }

    /// <summary>[B, w, 2] float32 (valence, arousal), −5 where unlabelled or padding.</summary>
    public Tensor ValenceArousal { get; }

    /// <summary>[B, w] int64 expression classes, −1 where unlabelled or padding.</summary>
    public Tensor Expression { get; }

    /// <summary>[B, w, 12] float32 action units 0 or 1, −1 where unlabelled or padding (the masked BCE skips −1).</summary>
    public Tensor ActionUnits { get; }

    /// <summary>The video and window of each row.</summary>
    public IReadOnlyList<WindowRef> Windows { get; }

    /// <summary>Rows B.</summary>
    public int Count => Windows.Count;

    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        X.Dispose();
        Valid.Dispose();
        ValenceArousal.Dispose();
        Expression.Dispose();
        ActionUnits.Dispose();
    }
}

/// <summary>The tensor-free form of a <see cref="FeatureWindowBatch"/>, built on a worker thread; arrays are row-major.</summary>
public sealed class StagedWindows
{
    internal StagedWindows(WindowRef[] windows, int windowLength, int featureDim)
    {
        (Windows, WindowLength, FeatureDim) = (windows, windowLength, featureDim);
        long positions = (long)windows.Length * windowLength;
        X = new float[positions * featureDim];
        Valid = new bool[positions];
        ValenceArousal = new float[positions * AffectLabels.ValenceArousalCount];
        Expression = new long[positions];
        ActionUnits = new float[positions * AffectLabels.ActionUnitCount];
        Array.Fill(ValenceArousal, AffectLabels.UnlabelledValenceArousal);
        Array.Fill(Expression, AffectLabels.UnlabelledExpression);
        Array.Fill(ActionUnits, AffectLabels.UnlabelledActionUnit);
    }

    /// <summary>The video and window of each row.</summary>
    public IReadOnlyList<WindowRef> Windows { get; }

    /// <summary>Window length w.</summary>
    public int WindowLength { get; }

    /// <summary>Feature size D.</summary>
    public int FeatureDim { get; }

    internal float[] X { get; }

    internal bool[] Valid { get; }

    internal float[] ValenceArousal { get; }

    internal long[] Expression { get; }

    internal float[] ActionUnits { get; }

    /// <summary>Creates the batch tensors (copies of the arrays) on <paramref name="device"/>.</summary>
    internal FeatureWindowBatch ToBatch(Device device)
    {
        long b = Windows.Count, w = WindowLength;
        var made = new List<Tensor>(5);
        Tensor Make(Tensor t)
        {
            made.Add(t.DetachFromDisposeScope());
            return t;
        }
        try
        {
            return new FeatureWindowBatch(
                Make(tensor(X, [b, w, FeatureDim], device: device)),
                Make(tensor(Valid, [b, w], device: device)),
                Make(tensor(ValenceArousal, [b, w, AffectLabels.ValenceArousalCount], device: device)),
                Make(tensor(Expression, [b, w], device: device)),
                Make(tensor(ActionUnits, [b, w, AffectLabels.ActionUnitCount], device: device)),
                Windows);
        }
        catch
        {
            foreach (var t in made) t.Dispose();
            throw;
        }
    }
}
