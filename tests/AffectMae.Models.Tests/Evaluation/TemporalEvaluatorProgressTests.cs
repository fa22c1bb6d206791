using AffectMae.Core.Segmentation;
using AffectMae.Models.Data;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Runtime;
using AffectMae.Models.Temporal;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Evaluation;

public sealed class TemporalEvaluatorProgressTests
{
    // Videos of 25 and 12 frames, w = 12, s = 8: ⌊25/8⌋ + 1 = 4 windows (starts 0, 8, 16, 24) and ⌊12/8⌋ + 1 = 2
    // (starts 0, 8), 6 in all; in batches of 4 the reports are 4 then 6.
    private static FeatureWindowDataset TwoVideos() => new(
        [Training.SyntheticFeatures.Video("a", 25, seed: 1), Training.SyntheticFeatures.Video("b", 12, seed: 2)], new VideoSegmenter(12, 8));

    [Fact]
    public void Progress_counts_the_windows_predicted_after_every_batch()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var model = new AffectSequenceModel(AffectSequenceModelOptions.Tiny16D24);
        var reports = new List<EvaluationProgress>();

        TemporalEvaluator.Predict(model, TwoVideos(), batchSize: 4, progress: new SyncProgress<EvaluationProgress>(reports.Add));

        reports.Should().Equal(new EvaluationProgress(4, 6), new EvaluationProgress(6, 6));
    }

    [Fact]
    public void A_cancelled_prediction_stops_between_batches_and_leaves_the_model_in_its_mode()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var model = new AffectSequenceModel(AffectSequenceModelOptions.Tiny16D24);
        model.train();
        using var cancellation = new CancellationTokenSource();
        var reports = new List<EvaluationProgress>();

        var predict = () => TemporalEvaluator.Predict(model, TwoVideos(), batchSize: 4,
            progress: new SyncProgress<EvaluationProgress>(p => { reports.Add(p); cancellation.Cancel(); }), cancellationToken: cancellation.Token);

        predict.Should().Throw<OperationCanceledException>();
        reports.Should().Equal(new EvaluationProgress(4, 6));
        model.training.Should().BeTrue();
    }
}
