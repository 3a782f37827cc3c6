#pragma once
// strftime for the date and time a caller hands to the template (templates never read the
// clock): %Y %y %m %d %e %B %b %h %A %a %H %I %M %S %p %j %w %u %D %F %T %R %c %x %X %Z %z %%
// with the C locale's English names, plus glibc's "-" flag that drops padding (%-d).
#include <string>
#include <string_view>

namespace atelier::jinja {

struct DateTime {
    int year = 1970;
    int month = 1; // 1..12
    int day = 1;   // 1..31
    int hour = 0;
    int minute = 0;
    int second = 0;
};

// Throws atelier::Error (Invalid) for an impossible date.
void validate(const DateTime& when);
std::string formatTime(std::string_view format, const DateTime& when);

} // namespace atelier::jinja
