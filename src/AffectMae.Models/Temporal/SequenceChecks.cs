using static TorchSharp.torch;

namespace AffectMae.Models.Temporal;

/// <summary>Argument checks shared by the sequence modules, with messages that say what to change.</summary>
internal static class SequenceChecks
{
    /// <summary>Checks frames x [B, T, D] with D = <paramref name="featureDim"/> and an optional bool valid mask [B, T].</summary>
    /// <param name="x">Frame features.</param>
    /// <param name="valid">Valid-frame mask, or null.</param>
    /// <param name="featureDim">The feature size the module was built for.</param>
    /// <param name="option">The option that sets <paramref name="featureDim"/>, named in the message.</param>
    public static void CheckFrames(Tensor x, Tensor? valid, long featureDim, string option)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 3)
            throw new ArgumentException($"x has shape [{string.Join(", ", x.shape)}] but must be [batch, frames, features]; add a batch dimension with x.unsqueeze(0).", nameof(x));
        if (x.shape[2] != featureDim)
            throw new ArgumentException($"x has {x.shape[2]} features per frame but the module was built for {featureDim}: set {option} to {x.shape[2]} or feed {featureDim}-d features.", nameof(x));
        if (valid is null) return;
        if (valid.dtype != ScalarType.Bool)
            throw new ArgumentException($"valid has dtype {valid.dtype} but must be Bool (true = real frame); convert it with valid.to_type(ScalarType.Bool).", nameof(valid));
        if (valid.dim() != 2 || valid.shape[0] != x.shape[0] || valid.shape[1] != x.shape[1])
            throw new ArgumentException($"valid has shape [{string.Join(", ", valid.shape)}] but x has {x.shape[0]} windows of {x.shape[1]} frames: valid must be [{x.shape[0]}, {x.shape[1]}].", nameof(valid));
    }

    /// <summary>
    /// The key padding mask of a transformer, true where a frame must not be attended to: ~valid, except that a window
    /// with no valid frame at all masks nothing (otherwise softmax over no keys gives NaN; such a window's outputs are
    /// all padding anyway).
    /// </summary>
    /// <param name="valid">Bool [B, T], true for a real frame.</param>
    /// <returns>Bool [B, T].</returns>
    public static Tensor KeyPaddingMask(Tensor valid) =>
        valid.logical_not().logical_and(valid.any(1, keepdim: true));           // [B, T]

    /// <summary>
    /// Checks that every value of x [B, T, D] is finite: one NaN would spread through the convolutions and attention to
    /// every prediction of its window. Costs one pass over x and one synchronisation, small beside the model.
    /// </summary>
    /// <exception cref="ArgumentException">x holds NaN or ±∞; the message gives the window, frame and feature of the first.</exception>
    public static void CheckFinite(Tensor x)
    {
        if (!x.is_floating_point()) return;
        using var scope = NewDisposeScope();
        var bad = isfinite(x).logical_not();
        if (!bad.any().item<bool>()) return;
        long[] at = bad.nonzero()[0].cpu().data<long>().ToArray();                          // [b, t, d]
        double value = x[at[0], at[1], at[2]].to_type(ScalarType.Float64).item<double>();
        throw new ArgumentException($"x holds {value} at window {at[0]}, frame {at[1]}, feature {at[2]} (0-based) and "
            + $"{bad.sum().item<long>()} non-finite values in all; the temporal model needs finite features.", nameof(x));
    }
}
