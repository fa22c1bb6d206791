using AffectMae.Core.Data;
using AffectMae.Video.Cropping;
using AffectMae.Video.Faces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AffectMae.Video.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        new FacePipelineOptionsValidator().Validate(null, new FacePipelineOptions()).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void A_search_region_too_small_for_the_overlap_rule_is_refused()
    {
        // MinIou 0.3 lets a face move 0.7/1.3 = 0.54 sides: the region must be at least 1 + 2·0.54 = 2.08 sides.
        var result = new FaceTrackerOptionsValidator().Validate(null, new FaceTrackerOptions { SearchRegionScale = 2.0, MinIou = 0.3 });
        result.Failures.Should().ContainSingle().Which.Should().Contain("Raise SearchRegionScale to at least 2.08");
        new FaceTrackerOptionsValidator().Validate(null, new FaceTrackerOptions { SearchRegionScale = 2.0, DetectEvery = 1 }).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void The_pipeline_validator_reports_every_part()
    {
        var options = new FacePipelineOptions
        {
            QueueCapacity = 0,
            Detector = new FaceDetectorOptions { ModelPath = "model.onnx" },
            Tracker = new FaceTrackerOptions { Smoothing = 0 },
            Crop = new FaceCropOptions { Border = (CropBorder)7 },
        };
        var failures = new FacePipelineOptionsValidator().Validate(null, options).Failures;
        failures.Should().HaveCount(4);
        failures.Should().Contain(f => f.StartsWith("FacePipelineOptions.QueueCapacity"));
        failures.Should().Contain(f => f.Contains("is not an XML cascade, but Kind is Cascade"));
        failures.Should().Contain(f => f.StartsWith("FaceTrackerOptions.Smoothing"));
        failures.Should().Contain(f => f.StartsWith("FaceCropOptions.Border is 7"));
        var build = () => new FaceCropPipeline(options);
        build.Should().Throw<ArgumentException>().WithMessage("*QueueCapacity*Smoothing*");
    }

    [Fact]
    public void Modules_keep_a_copy_of_their_options_so_a_later_change_to_the_callers_object_changes_nothing()
    {
        var crop = new FaceCropOptions { OutputSize = 64 };
        var cropper = new FaceCropper(crop);
        crop.OutputSize = 32;
        cropper.Options.OutputSize.Should().Be(64);

        var options = new FacePipelineOptions { Crop = new FaceCropOptions { Margin = 0.5 }, QueueCapacity = 2 };
        var pipeline = new FaceCropPipeline(options);
        options.Crop.Margin = 0.1;
        pipeline.Cropper.Options.Margin.Should().Be(0.5);

        new FaceCropPipeline(new FacePipelineOptions()).Cropper.Options.Should().BeEquivalentTo(new FaceCropOptions(), "a pipeline without a crop rule cuts by the defaults");
    }

    [Fact]
    public void A_tracker_keeps_a_copy_of_its_options()
    {
        var options = new FaceTrackerOptions { DetectEvery = 1, MaxMissedFrames = 0 };
        var detector = new ScriptedDetector();
        var tracker = new FaceTracker(detector, options);
        options.DetectEvery = 100;
        using var frame = new OpenCvSharp.Mat(100, 100, OpenCvSharp.MatType.CV_8UC3);
        tracker.Next(frame);
        tracker.Next(frame);
        // With its own DetectEvery of 1 the tracker searches the whole frame every time; 100 would have searched the region around the face.
        detector.WholeFrameSearches.Should().Be(2);
    }

    private sealed class ScriptedDetector : IFaceDetector
    {
        public int WholeFrameSearches { get; private set; }

        public bool GivesLandmarks => false;

        public IReadOnlyList<FaceDetection> Detect(OpenCvSharp.Mat image)
        {
            if (image.Width == 100) WholeFrameSearches++;
            return [new FaceDetection(new FaceBox(40, 40, 20, 20), 1, null)];
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public void Options_bind_from_configuration_and_are_validated_at_start()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FacePipeline:Detector:Kind"] = "YuNet",
            ["FacePipeline:Detector:DetectionSize"] = "320",
            ["FacePipeline:Crop:OutputSize"] = "224",
            ["FacePipeline:Tracker:DetectEvery"] = "0",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IValidateOptions<FacePipelineOptions>, FacePipelineOptionsValidator>();
        services.AddOptions<FacePipelineOptions>().Bind(configuration.GetSection(FacePipelineOptions.SectionName));
        using var provider = services.BuildServiceProvider();

        var read = () => provider.GetRequiredService<IOptions<FacePipelineOptions>>().Value;
        read.Should().Throw<OptionsValidationException>().WithMessage("*FaceTrackerOptions.DetectEvery must lie in [1, 10000]*");
    }
}
