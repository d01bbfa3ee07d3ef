/** English catalog: the reference. Every key here must exist in every other catalog. */
export const en = {
	'app.name': 'FieldMatrix',
	'app.tagline': 'C34 recommendations, offline',
	'app.skipToContent': 'Skip to content',
	'app.loading': 'Loading the recommendations…',
	'app.loadFailed': 'The recommendations could not be loaded: {reason}',
	'app.loadFailedOffline':
		'This device has no copy of the recommendations yet. Connect once to download them.',
	'app.retry': 'Try again',

	'nav.main': 'Main',
	'nav.matrix': 'Matrix',
	'nav.settings': 'Settings',

	'network.online': 'Online',
	'network.offline': 'Offline',
	'network.offlineHint': 'Reading from this device',

	'language.label': 'Language',

	'update.available': 'A new version is available.',
	'update.reload': 'Reload',

	'matrix.title': 'Recommendations of the Special Committee',
	'matrix.reportOf': '{title} ({symbol}), {date}',
	'matrix.results_one': '{count} recommendation',
	'matrix.results_other': '{count} recommendations',
	'matrix.searching': 'Searching…',
	'matrix.noResults': 'No recommendation matches. Change the search or clear the filters.',
	'matrix.sectionCount_one': '{count} recommendation',
	'matrix.sectionCount_other': '{count} recommendations',

	'search.label': 'Search',
	'search.placeholder': 'Words, paragraph number, mission…',
	'search.submit': 'Search',

	'filters.title': 'Filters',
	'filters.section': 'Section',
	'filters.category': 'Status',
	'filters.mission': 'Mission mentioned',
	'filters.footnote': 'Note',
	'filters.any': 'Any',
	'filters.clear': 'Clear search and filters',
	'filters.footnote.a': 'More in the online repository (a)',
	'filters.footnote.b': 'Kosovo reference (b)',

	'category.ongoing-see-2023': 'Ongoing, see 2023',
	'category.progress-reported': 'Progress reported',
	'category.briefing-pending': 'Briefing to come',
	'category.update-pending': 'Update to come',
	'category.taken-note': 'Taken note',
	'category.member-states': 'For Member States',
	'category.no-update-requested': 'No update requested',

	'recommendation.paragraph': 'Paragraph {paragraph}',
	'recommendation.title': 'Paragraph {paragraph} of {symbol}',
	'recommendation.section': 'Section {numeral}: {title}',
	'recommendation.status': 'Status reported by the Secretariat',
	'recommendation.notes': 'Notes',
	'recommendation.refs2023': 'Earlier status',
	'recommendation.ref2023': 'Recommendation {paragraph} of 2023, in the online repository',
	'recommendation.documents': 'Documents cited',
	'recommendation.links': 'Web links',
	'recommendation.missions': 'Missions mentioned',
	'recommendation.previous': 'Previous: paragraph {paragraph}',
	'recommendation.next': 'Next: paragraph {paragraph}',
	'recommendation.back': 'Back to the matrix',
	'recommendation.notFound': 'There is no paragraph {paragraph} in this report.',
	'recommendation.pager': 'Other recommendations',

	'document.ga-resolution': 'General Assembly resolution',
	'document.sc-resolution': 'Security Council resolution',
	'document.sg-bulletin': "Secretary-General's bulletin",
	'document.administrative-instruction': 'Administrative instruction',
	'document.sc-document': 'Security Council document',
	'document.ga-document': 'General Assembly document',

	'settings.title': 'Settings',
	'settings.storage': 'Storage on this device',
	'settings.persisted': 'Protected: the browser will not clear this data to free space.',
	'settings.notPersisted':
		'Not protected: the browser may clear this data when space runs low. Install the app to protect it.',
	'settings.persistUnknown': 'This browser does not say whether the data is protected.',
	'settings.usage': '{used} used of {quota} available.',
	'settings.dataset_one': '{count} recommendation stored (dataset {version}, saved {date}).',
	'settings.dataset_other': '{count} recommendations stored (dataset {version}, saved {date}).',
	'settings.noDataset': 'No recommendations stored yet.',
	'settings.requestPersist': 'Protect the data on this device'
} as const;

export type MessageKey = keyof typeof en;
