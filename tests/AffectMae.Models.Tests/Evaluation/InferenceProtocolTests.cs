using AffectMae.Core.Data;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Data;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Temporal;
using AffectMae.Models.Tests.Fixtures;
using AffectMae.Models.Tests.Temporal;
using AffectMae.Models.Training;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Evaluation;

public sealed class InferenceProtocolTests
{
    private const int Width = 24;   // the tiny authors' model reads 24-d features

    [Fact]
    public void The_released_protocol_runs_the_authors_model_on_non_overlapping_windows_and_clips_valence_arousal()
    {
        // Two videos of 25 and 12 frames, w = 12, s = 8. Released inference ignores s: windows 0–11, 12–23, 24 (one frame)
        // and 0–11. Each frame's prediction must equal the model run on that chunk alone, clipped to [−1, 1].
        using var scope = NewDisposeScope();
        using var model = AuthorsModel(AffectTask.ValenceArousal);
        using (no_grad()) model.state_dict()["head.2.weight"].mul_(20);         // outputs well beyond [−1, 1]
        var videos = new[] { Video("a", 25, 1), Video("b", 12, 2) };
        var dataset = new FeatureWindowDataset(videos, new VideoSegmenter(12, 8));

        var predictions = TemporalEvaluator.Predict(model, dataset, batchSize: 2, inference: InferenceOptions.Released);

        double largest = 0;
        for (int v = 0; v < videos.Length; v++)
        {
            var expected = new List<float>();
            for (int start = 0; start < videos[v].FrameCount; start += 12)
            {
                int length = Math.Min(12, videos[v].FrameCount - start);
                using var chunk = Features(videos[v], start, length);
                using var output = model.call(chunk, null);
                expected.AddRange(output.ValenceArousal!.clamp(-1, 1).data<float>().ToArray());
                largest = Math.Max(largest, output.ValenceArousal.abs().max().item<float>());
            }
            tensor(predictions[v].ValenceArousal!).ShouldMatch(tensor(expected.ToArray()), $"video {videos[v].Name}");
        }
        largest.Should().BeGreaterThan(1, "the unbounded head leaves [−1, 1] somewhere, so the clip is exercised");
    }

    [Fact]
    public void With_the_last_window_winning_each_frame_has_the_prediction_of_the_latest_window_covering_it()
    {
        // One video of 20 frames, w = 8, s = 4: windows at 0, 4, 8, 12, 16 (4 frames) and 20 (empty, skipped). Frame f
        // takes window ⌊f/4⌋ (the latest whose start ≤ f), at position f − 4·⌊f/4⌋, except frames 0–3 (only window 0).
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = new AffectSequenceModel(AffectSequenceModelOptions.Tiny16D24);
        var video = Training.SyntheticFeatures.Video("v", 20, seed: 4);
        var dataset = new FeatureWindowDataset([video], new VideoSegmenter(8, 4));
        model.eval();

        var stitched = TemporalEvaluator.Predict(model, dataset, inference: new InferenceOptions { Protocol = InferenceProtocol.LastWindowWins }).Single();

        var expected = new float[20 * 2];
        for (int start = 0; start < 20; start += 4)
        {
            int length = Math.Min(8, 20 - start);
            using var padded = zeros(1, 8, 16);
            padded[0, ..length] = Features(video, start, length)[0];
            using var valid = arange(8).lt(length).unsqueeze(0);
            using var output = model.call(padded, valid);
            var values = output.ValenceArousal![0, ..length].data<float>().ToArray();
            values.CopyTo(expected, start * 2);                                   // later windows overwrite earlier ones
        }
        tensor(stitched.ValenceArousal!).ShouldMatch(tensor(expected), "last window wins");
    }

    [Fact]
    public void Overlap_averaging_stays_the_default()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var model = new AffectSequenceModel(AffectSequenceModelOptions.Tiny16D24);
        var dataset = new FeatureWindowDataset([Training.SyntheticFeatures.Video("v", 30, seed: 6)], new VideoSegmenter(8, 4));

        var byDefault = TemporalEvaluator.Predict(model, dataset).Single();
        var explicitly = TemporalEvaluator.Predict(model, dataset, inference: InferenceOptions.OverlapAverage).Single();

        byDefault.ValenceArousal.Should().Equal(explicitly.ValenceArousal);
        byDefault.ExpressionModeFilter.Should().Be(0);
    }

    [Fact]
    public void The_expression_mode_filter_applies_to_the_predicted_classes()
    {
        using var scope = NewDisposeScope();
        using var model = AuthorsModel(AffectTask.Expression);
        var dataset = new FeatureWindowDataset([Video("a", 40, 7)], new VideoSegmenter(12, 12));

        var raw = TemporalEvaluator.Predict(model, dataset, inference: new InferenceOptions { Protocol = InferenceProtocol.NonOverlapping }).Single();
        var filtered = TemporalEvaluator.Predict(model, dataset, inference: InferenceOptions.Released).Single();

        filtered.ExpressionModeFilter.Should().Be(40);
        filtered.ExpressionClasses().Should().Equal(ModeFilter.Apply(raw.ExpressionClasses(), 40));
    }

    [Fact]
    public void Logits_of_exactly_zero_decide_every_unit_present_for_ours_and_absent_under_the_released_protocol()
    {
        // The head's last layer zeroed: every AU logit is exactly 0, so every probability is exactly 0.5 = the threshold.
        using var scope = NewDisposeScope();
        using var model = AuthorsModel(AffectTask.ActionUnits);
        using (no_grad())
        {
            model.state_dict()["head.2.weight"].zero_();
            model.state_dict()["head.2.bias"].zero_();
        }
        var dataset = new FeatureWindowDataset([Video("a", 15, 3)], new VideoSegmenter(12, 12));

        var ours = TemporalEvaluator.Predict(model, dataset, inference: new InferenceOptions { Protocol = InferenceProtocol.NonOverlapping }).Single();
        var theirs = TemporalEvaluator.Predict(model, dataset, inference: InferenceOptions.Released).Single();

        ours.ActionUnitProbabilities.Should().OnlyContain(p => p == 0.5f);
        ours.ActionUnits().Should().OnlyContain(u => u == 1, "ours: p ≥ 0.5");
        theirs.ActionUnits().Should().OnlyContain(u => u == 0, "theirs: round(0.5) = 0");
    }

    [Fact]
    public void The_mode_filter_matches_scipy_as_the_released_test_script_uses_it()
    {
        // Fixture: make_authors_fixtures.py §2 runs the released filter with scipy.stats.mode on runs of random labels.
        using var scope = NewDisposeScope();
        var io = Fixture.Load("authors_recipe.io");
        int[] labels = io["mode_labels"].data<long>().ToArray().Select(l => (int)l).ToArray();

        foreach (int k in new[] { 40, 5, 4, 1 })
            ModeFilter.Apply(labels, k).Should().Equal(io[$"mode_k{k}"].data<long>().ToArray().Select(l => (int)l), $"k = {k}");
        ModeFilter.Apply(io["mode_ties"].data<long>().ToArray().Select(l => (int)l).ToArray(), 4)
            .Should().Equal(io["mode_ties_k4"].data<long>().ToArray().Select(l => (int)l));
    }

    [Fact]
    public void Features_of_another_size_than_the_model_reads_are_refused()
    {
        using var model = AuthorsModel(AffectTask.ActionUnits);
        var dataset = new FeatureWindowDataset([Training.SyntheticFeatures.Video("v", 10, seed: 1)], new VideoSegmenter(8, 4));   // 16-d

        var predict = () => TemporalEvaluator.Predict(model, dataset);

        predict.Should().Throw<ArgumentException>().WithMessage("The model reads 24-d frame features but the dataset holds 16-d ones*");
    }

    [Fact]
    public void The_authors_model_trains_with_their_recipe_on_tail_dropped_windows()
    {
        // Smoke test of the wiring: released losses, warm-restart schedule, every parameter decayed, windows without tail.
        using var scope = NewDisposeScope();
        manual_seed(8);
        using var model = new AuthorsTemporalModel(AuthorsTemporalModelOptions.Tiny(AffectTask.ValenceArousal));
        var train = new FeatureWindowDataset(Enumerable.Range(0, 4).Select(i => Video($"t{i}", 30 + 7 * i, 10 + i)), new VideoSegmenter(12, 8, WindowTail.Drop));
        var options = OptimizationOptions.AuthorsTemporal(AffectTask.ValenceArousal);
        (options.Epochs, options.BatchSize) = (3, 4);
        using var stage = new TemporalTrainingStage(model, options, AffectObjective.Released(), InferenceOptions.Released);

        var state = stage.Run(train, validation: train);

        train.Items.Should().OnlyContain(item => item.Window.ValidLength == 12, "no training window is padded");
        state.Epoch.Should().Be(3);
        state.BestScore.Should().NotBeNull();
        stage.Validation.Protocol.Should().Be(InferenceProtocol.NonOverlapping);
    }

    private static AuthorsTemporalModel AuthorsModel(AffectTask task)
    {
        string file = task switch { AffectTask.ValenceArousal => "va", AffectTask.Expression => "expr", _ => "au" };
        var model = new AuthorsTemporalModel(AuthorsTemporalModelOptions.Tiny(task));
        AuthorsCheckpoint.Load(model, Fixture.File($"authors_tiny_{file}.pt"));
        model.eval();
        return model;
    }

    // Features with a large spread, so that some unclipped valence/arousal outputs leave [−1, 1]; labels as the
    // synthetic set's (via its 16-d video) are not needed here beyond valence/arousal.
    private static VideoFeatures Video(string name, int frames, int seed)
    {
        var random = new Random(seed);
        var features = Enumerable.Range(0, frames * Width).Select(_ => (float)(3 * (random.NextDouble() * 2 - 1))).ToArray();
        var va = Enumerable.Range(0, frames * 2).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        return new VideoFeatures(name, features, Width, va, null, null);
    }

    private static Tensor Features(VideoFeatures video, int start, int length) =>
        tensor(video.Features.Slice(start * video.FeatureDim, length * video.FeatureDim).ToArray(), [1, length, video.FeatureDim]);
}
