using System.Text.Json;
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
    public void Out_of_range_crop_settings_say_what_to_use()
    {
        var result = new FaceCropOptionsValidator().Validate(null, new FaceCropOptions { OutputSize = 8, Margin = -0.1 });
        result.Failures.Should().BeEquivalentTo(
            "FaceCropOptions.OutputSize must lie in [16, 2048] pixels; use 112 (Aff-Wild2's cropped_aligned size). It is 8.",
            "FaceCropOptions.Margin must lie in [0, 2] face sides; use 0.25 (a quarter of the face on every side). It is -0.1.");
    }

    [Fact]
    public void A_centre_shift_beyond_the_margin_is_refused_because_it_would_cut_the_face()
    {
        var result = new FaceCropOptionsValidator().Validate(null, new FaceCropOptions { Margin = 0.1, CenterShift = 0.2 });
        result.Failures.Should().ContainSingle().Which.Should().Contain("Keep |CenterShift| ≤ Margin: raise Margin to 0.2");
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
    public void Crop_settings_round_trip_through_json_as_a_manifest_would_carry_them()
    {
        var crop = new FaceCropOptions { OutputSize = 224, Margin = 0.3, CenterShift = 0.1, AlignEyes = false, Border = CropBorder.Replicate };
        string json = JsonSerializer.Serialize(crop);
        json.Should().Be("""{"OutputSize":224,"Margin":0.3,"CenterShift":0.1,"AlignEyes":false,"Border":"Replicate"}""");
        JsonSerializer.Deserialize<FaceCropOptions>(json).Should().BeEquivalentTo(crop);
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
