//! Charts drawn on the server as SVG with plotters (its SVG backend only): accessible (a title the page
//! references), readable in print and on a phone (they scale to the width), always shown beside a table of
//! the same numbers.

use plotters::prelude::*;

/// One stacked bar per label; `series` are (name, colour, one value per label).
pub fn stacked_bars(
    title: &str,
    labels: &[String],
    series: &[(&str, RGBColor, Vec<i64>)],
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 320)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let highest = (0..labels.len())
            .map(|i| series.iter().map(|(_, _, v)| v[i]).sum::<i64>())
            .max()
            .unwrap_or(0)
            .max(1);
        // Room above the bars for the legend.
        let top = highest as f64 * 1.35;
        let count = labels.len() as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(-0.5..count - 0.5, 0.0..top)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(labels.len())
            .x_label_formatter(&|x| label_at(labels, *x))
            .y_label_formatter(&|y| cnscd_domain::text::group_thousands(*y as i64))
            .draw()
            .map_err(|e| e.to_string())?;
        for (position, (name, colour, values)) in series.iter().enumerate() {
            let below: Vec<i64> = (0..labels.len())
                .map(|i| series[..position].iter().map(|(_, _, v)| v[i]).sum())
                .collect();
            chart
                .draw_series(values.iter().enumerate().map(|(i, value)| {
                    let x = i as f64;
                    Rectangle::new(
                        [
                            (x - 0.35, below[i] as f64),
                            (x + 0.35, (below[i] + value) as f64),
                        ],
                        colour.filled(),
                    )
                }))
                .map_err(|e| e.to_string())?
                .label(*name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], colour.filled())
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE)
            .border_style(BLACK)
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// The label of the bar or point nearest to `x` (axes place their ticks on whole positions).
fn label_at(labels: &[String], x: f64) -> String {
    let nearest = x.round();
    if (x - nearest).abs() > 0.01 || nearest < 0.0 {
        return String::new();
    }
    labels.get(nearest as usize).cloned().unwrap_or_default()
}

/// One line per series over the labels (rounds, months); `series` are (name, colour, one value per label, or
/// none where the label has no value).
pub fn lines(
    title: &str,
    labels: &[String],
    series: &[(String, RGBColor, Vec<Option<i64>>)],
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 360)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let top = series
            .iter()
            .flat_map(|(_, _, values)| values.iter().flatten())
            .copied()
            .max()
            .unwrap_or(0)
            .max(1);
        let count = labels.len() as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(-0.5..count - 0.5, 0.0..top as f64 * 1.1)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(labels.len())
            .x_label_formatter(&|x| label_at(labels, *x))
            .y_label_formatter(&|v| cnscd_domain::text::group_thousands(*v as i64))
            .draw()
            .map_err(|e| e.to_string())?;
        for (name, colour, values) in series {
            let points: Vec<(f64, f64)> = values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| (i as f64, v as f64)))
                .collect();
            let colour = *colour;
            chart
                .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))
                .map_err(|e| e.to_string())?
                .label(name.as_str())
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 14, y)], colour.stroke_width(2))
                });
            chart
                .draw_series(
                    points
                        .into_iter()
                        .map(|p| Circle::new(p, 3, colour.filled())),
                )
                .map_err(|e| e.to_string())?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// Distinct colours for series, in order.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(11, 92, 173),
    RGBColor(163, 29, 29),
    RGBColor(29, 122, 51),
    RGBColor(196, 120, 0),
    RGBColor(106, 61, 154),
    RGBColor(0, 128, 128),
    RGBColor(92, 102, 112),
    RGBColor(190, 60, 140),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stacked_bar_chart_is_an_svg_with_its_title_and_labels() {
        let svg = stacked_bars(
            "Tình hình nộp báo cáo",
            &["Tháng 1".to_string(), "Tháng 2".to_string()],
            &[
                ("Đúng hạn", GREEN, vec![100, 120]),
                ("Chưa nộp", RED, vec![66, 46]),
            ],
        )
        .unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..100]);
        assert!(svg.contains("Tình hình nộp báo cáo") && svg.contains("Tháng 2"));
        assert!(svg.contains("Đúng hạn"));
        assert!(svg.matches("<rect").count() >= 4);
    }
}
