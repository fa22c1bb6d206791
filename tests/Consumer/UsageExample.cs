using AffectMae.Metrics;
using AffectMae.Models.Temporal;
using static TorchSharp.torch;

public static class UsageExample
{
    public static (long[] ValenceArousalShape, double Ccc) Run()
    {
        // A temporal model over per-frame features: TCN → Transformer → per-frame heads.
        using var model = new AffectSequenceModel(AffectSequenceModelOptions.Tiny16D24);
        model.eval();

        using var features = randn(2, 10, 16);           // [windows, frames, feature dim]
        using var valid = ones(2, 10, dtype: @bool);      // no padded frames
        using var predictions = model.call(features, valid);

        // Metrics take plain arrays: concordance of two short series.
        double ccc = Ccc.Compute([1.0, 2, 3], [2.0, 3, 4]);
        return (predictions.ValenceArousal!.shape, ccc);
    }
}
